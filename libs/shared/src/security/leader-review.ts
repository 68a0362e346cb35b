import { hasVisibleText } from '../domain/text';

/**
 * A unit leader's review (经领导审核, RULES §2 multi-level handling; RULES §5: the unit's leader
 * approves its knowledge entries). A leader's own account reviews in person, in its own name
 * unless it names the leader it reviews for; a clerk records the leader's decision by name (代录),
 * unless the unit wants its leader to review in person (`catalog.units.leader_review_in_person`).
 */
export interface LeaderReviewer {
  unitLeader?: boolean;
  displayName?: string;
}

export type LeaderReview =
  | { kind: 'review'; leaderName: string; byLeader: boolean }
  | { kind: 'refused'; code: 'leader_review_required' | 'validation_failed'; detail: string; field?: string };

export function leaderReviewOf(
  who: LeaderReviewer,
  unit: { leaderReviewInPerson: boolean },
  leaderName: string | undefined,
): LeaderReview {
  // A name that shows nothing (spaces, zero-width characters) names nobody.
  const named = hasVisibleText(leaderName ?? '') ? (leaderName ?? '').trim() : '';
  const own = hasVisibleText(who.displayName ?? '') ? (who.displayName ?? '').trim() : '';
  // A leader's account reviews in person under its own name. Naming another leader is a review
  // by name, not in person: a street's leader does not sign as the district's.
  const inPerson = who.unitLeader === true && (named.length === 0 || named === own || own.length === 0);
  if (inPerson) {
    const name = own || named;
    if (name.length > 0) return { kind: 'review', leaderName: name, byLeader: true };
  } else if (unit.leaderReviewInPerson)
    return {
      kind: 'refused',
      code: 'leader_review_required',
      detail: "the unit's leader reviews this in person: sign in with the leader's own account",
    };
  if (named.length === 0)
    return {
      kind: 'refused',
      code: 'validation_failed',
      detail: 'name the leader who reviewed it (经领导审核)',
      field: 'leaderName',
    };
  return { kind: 'review', leaderName: named, byLeader: false };
}
