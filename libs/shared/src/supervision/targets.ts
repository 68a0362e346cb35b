/**
 * The targets seen in practice (RULES §7, GS 12345督办): the actual resolution rate (实际解决率) and
 * the satisfaction rate (满意率) at 60 % or more city-wide, and 50 % or more for supervised tickets
 * (those a reminder or supervision order was raised on). Counted over the tickets closed in the
 * period:
 * - resolution: of the citizens asked on the manual callback whether the problem was actually
 *   solved, the share who said yes (a ticket never asked is not counted);
 * - satisfaction: of the tickets with a counted verdict, satisfied or basically satisfied.
 * A rate with nothing to count is null, and meets no target (nor misses one).
 */
export const PRACTICE_TARGETS = { city: 0.6, supervised: 0.5 } as const;

export interface TargetCounts {
  /** Asked and said solved / asked and said not solved. */
  resolved: number;
  unresolved: number;
  /** Counted verdicts: satisfied or basically satisfied / all. */
  satisfied: number;
  evaluated: number;
}

export interface RateAgainstTarget {
  rate: number | null;
  target: number;
  meetsTarget: boolean | null;
}

export interface ScopeTargets {
  resolution: RateAgainstTarget & { asked: number };
  satisfaction: RateAgainstTarget & { evaluated: number };
}

function against(numerator: number, denominator: number, target: number): RateAgainstTarget {
  if (denominator <= 0) return { rate: null, target, meetsTarget: null };
  const rate = numerator / denominator;
  return { rate, target, meetsTarget: rate >= target };
}

function scope(c: TargetCounts, target: number): ScopeTargets {
  const asked = c.resolved + c.unresolved;
  return {
    resolution: { ...against(c.resolved, asked, target), asked },
    satisfaction: { ...against(c.satisfied, c.evaluated, target), evaluated: c.evaluated },
  };
}

export function practiceTargets(c: { city: TargetCounts; supervised: TargetCounts }): {
  city: ScopeTargets;
  supervised: ScopeTargets;
} {
  return {
    city: scope(c.city, PRACTICE_TARGETS.city),
    supervised: scope(c.supervised, PRACTICE_TARGETS.supervised),
  };
}
