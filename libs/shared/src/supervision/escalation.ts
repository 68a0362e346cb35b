import type { EscalationMeasure, OrderTrigger } from './events';

/**
 * The escalation chain (SQ art. 21): interview (约谈), circular (通报), special report (信息专报),
 * referral to the conduct and discipline bodies. A measure is open against a unit only on grounds
 * found in its orders of the last 90 days:
 * - coordination failed repeatedly: 2 or more failures, each an order that went overdue or whose
 *   answer was sent back, or a ticket the centre's coordination gave the unit that the leadership
 *   group then had to decide (`escalatedCoordinations`);
 * - buck-passing or inaction shown by the replies: 2 or more orders raised for buck-passing, for a
 *   promise not kept or for a lapsed rectification;
 * - a clearly responsible unit refused without reason: any order raised for a refusal.
 * A referral to the discipline bodies is for serious cases: it needs the grounds and an earlier
 * interview or circular of the same unit.
 */
export const ESCALATION_LOOKBACK_DAYS = 90;

export interface UnitOrderRecord {
  trigger: OrderTrigger;
  raisedAt: number;
  wentOverdue: boolean;
  sentBack: boolean;
}

export const ESCALATION_GROUNDS = ['coordination_failed', 'buck_passing_or_inaction', 'refusal'] as const;
export type EscalationGround = (typeof ESCALATION_GROUNDS)[number];

export const ESCALATION_GROUND_LABELS: Record<EscalationGround, string> = {
  coordination_failed: '多次协调未果',
  buck_passing_or_inaction: '答复存在推诿扯皮、不作为',
  refusal: '职责明确却无故拒收',
};

export const ESCALATION_MEASURE_LABELS: Record<EscalationMeasure, string> = {
  interview: '约谈',
  circular: '通报',
  special_report: '信息专报',
  discipline_referral: '移送作风监督和纪检监察机关',
};

/**
 * A ticket the centre's coordination designated the unit to lead, which the leadership group then
 * decided (RULES §2: "failing that, escalation to the leadership group"): when the group decided.
 */
export interface EscalatedCoordination {
  decidedAt: number;
}

export function escalationGrounds(
  orders: readonly UnitOrderRecord[],
  now: number,
  escalatedCoordinations: readonly EscalatedCoordination[] = [],
): EscalationGround[] {
  const within = (at: number) => at <= now && now - at <= ESCALATION_LOOKBACK_DAYS * 86_400_000;
  const recent = orders.filter((o) => within(o.raisedAt));
  const grounds: EscalationGround[] = [];
  const failed =
    recent.filter((o) => o.wentOverdue || o.sentBack).length +
    escalatedCoordinations.filter((c) => within(c.decidedAt)).length;
  if (failed >= 2) grounds.push('coordination_failed');
  const inaction: OrderTrigger[] = ['buck_passing', 'not_done_in_promised_time', 'rectification_lapsed'];
  if (recent.filter((o) => inaction.includes(o.trigger)).length >= 2)
    grounds.push('buck_passing_or_inaction');
  if (recent.some((o) => o.trigger === 'refusal')) grounds.push('refusal');
  return grounds;
}

export function refuseEscalation(
  measure: EscalationMeasure,
  grounds: readonly EscalationGround[],
  earlierMeasures: readonly EscalationMeasure[],
): { code: 'escalation_not_open'; message: string } | null {
  if (grounds.length === 0)
    return {
      code: 'escalation_not_open',
      message: `no grounds for ${measure} in the unit's orders of the last ${ESCALATION_LOOKBACK_DAYS} days (repeated failed coordination, buck-passing or inaction, or refusal)`,
    };
  if (
    measure === 'discipline_referral' &&
    !earlierMeasures.some((m) => m === 'interview' || m === 'circular')
  )
    return {
      code: 'escalation_not_open',
      message: 'a referral to the discipline bodies follows an earlier interview or circular of the unit',
    };
  return null;
}
