import { leaderReviewOf } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import type { CatalogRepository } from '../repositories/catalog.repository';
import { ProblemException } from './problem';

/**
 * The leader's review (经领导审核) a unit user gives: its own, in person, from a leader's account;
 * by name from a clerk's, unless the unit wants its leader in person (403 leader_review_required).
 */
export async function leaderReview(
  catalog: CatalogRepository,
  who: Principal,
  unitId: string,
  leaderName: string | undefined,
): Promise<{ leaderName: string; byLeader: boolean }> {
  const unit = await catalog.unit(unitId);
  const review = leaderReviewOf(
    who,
    { leaderReviewInPerson: unit?.leaderReviewInPerson === true },
    leaderName,
  );
  if (review.kind === 'refused')
    throw new ProblemException(review.code, review.detail, review.field ? { field: review.field } : {});
  return { leaderName: review.leaderName, byLeader: review.byLeader };
}
