import type { Verdict } from '../domain/vocabulary';
import { isOneOf, VERDICTS } from '../domain/vocabulary';
import type { VoteTally } from './events';

/**
 * Public votes on a forum ticket (SZ 寒山闻钟), the rule in one place:
 * 1. The window opens when the reply is marked handled (the centre approves it) and lasts the
 *    policy's `votingWindow` (15 days); its close is a timer.
 * 2. One vote per user; the poster may change their vote once inside the window; nobody else may.
 * 3. Service staff cannot vote (the forum says so, or the account is registered as staff); an
 *    account registered as staff while the window is open loses the vote it cast before.
 * 4. The result is the poster's verdict; a poster who never voted counts as satisfied. The others'
 *    votes are tallied apart and shown beside it (they are published, not counted in the unit's rate).
 * 5. A result of unsatisfied is the public rating the case unsatisfied: it goes to the expert
 *    evaluators (PA §3), whose verdict is final.
 */
export interface VoteCommand {
  /** The forum's user id of the voter. */
  voterId: string;
  verdict: Verdict;
  /** The forum flags its service staff; the platform's own register is checked too. */
  staff: boolean;
}

export interface CastVote {
  verdict: Verdict;
  changes: number;
}

export interface VoteState {
  posterId: string | null;
  closesAt: number;
  closed: boolean;
  votes: Record<string, CastVote>;
}

export type VoteRefusal = {
  code:
    'vote_window_closed' | 'staff_cannot_vote' | 'already_voted' | 'vote_change_used' | 'validation_failed';
  message: string;
};

/** Why this vote may not be cast now, or null. A repeat of the same vote is no change: accepted, changing nothing. */
export function refuseVote(s: VoteState, cmd: VoteCommand, now: number): VoteRefusal | null {
  if (typeof cmd.voterId !== 'string' || cmd.voterId.length === 0 || cmd.voterId.length > 100)
    return { code: 'validation_failed', message: 'voterId is required (1–100 characters)' };
  if (!isOneOf(VERDICTS, cmd.verdict))
    return { code: 'validation_failed', message: 'verdict is not one of the three' };
  if (s.closed || now >= s.closesAt)
    return { code: 'vote_window_closed', message: 'the vote window has closed' };
  if (cmd.staff) return { code: 'staff_cannot_vote', message: 'service staff cannot vote' };
  const before = s.votes[cmd.voterId];
  if (!before || before.verdict === cmd.verdict) return null;
  if (cmd.voterId !== s.posterId) return { code: 'already_voted', message: 'one vote per user' };
  if (before.changes >= 1)
    return { code: 'vote_change_used', message: 'the poster may change the vote only once' };
  return null;
}

/** The state after an accepted vote. */
export function castVote(s: VoteState, cmd: VoteCommand): VoteState {
  const before = s.votes[cmd.voterId];
  if (before?.verdict === cmd.verdict) return s;
  return {
    ...s,
    votes: { ...s.votes, [cmd.voterId]: { verdict: cmd.verdict, changes: before ? before.changes + 1 : 0 } },
  };
}

/** The state once `voterId` is known to be service staff: its vote, if any, never counted. */
export function voidStaffVote(s: VoteState, voterId: string): VoteState {
  if (s.closed || !(voterId in s.votes)) return s;
  const votes = { ...s.votes };
  delete votes[voterId];
  return { ...s, votes };
}

export interface VoteResult {
  result: Verdict;
  posterVerdict: Verdict;
  posterDefaulted: boolean;
  others: VoteTally;
}

export function voteResult(s: VoteState): VoteResult {
  const poster = s.posterId ? s.votes[s.posterId] : undefined;
  const others: VoteTally = { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 };
  for (const [voter, v] of Object.entries(s.votes)) if (voter !== s.posterId) others[v.verdict]++;
  const posterVerdict: Verdict = poster?.verdict ?? 'satisfied';
  return { result: posterVerdict, posterVerdict, posterDefaulted: !poster, others };
}

/**
 * Whether a closed vote hands the ticket to the expert evaluators (PA §3: they evaluate the cases
 * the public rated unsatisfied): the result, the poster's verdict, is unsatisfied. The others'
 * votes are published beside it and decide nothing.
 */
export function publicVoteNeedsExperts(r: Pick<VoteResult, 'result'>): boolean {
  return r.result === 'unsatisfied';
}
