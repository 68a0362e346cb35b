/**
 * PublicVoteWorkflow: a forum ticket's public vote (SZ 寒山闻钟), read as its rule
 * (libs/shared/src/evaluation/vote.ts): the window opens when the reply is marked handled and
 * closes by a timer after the policy's voting window; each vote is an update whose validator
 * applies the rule (one vote per user, the poster may change once, no staff), so the forum learns
 * at once whether it counts; at the close, the poster's verdict (satisfied when they never voted)
 * is the result, the others' votes tallied apart.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { castVote, refuseVote, voidStaffVote, voteResult } from '@hotline/shared';
import type { VoteCommand, VoteResult, VoteState } from '@hotline/shared';
import type { VoteActivities } from './public-vote.activities';

export interface PublicVoteInput {
  ticketNo: string;
  unitId: string;
  posterId: string | null;
  opensAt: string;
  closesAt: string;
}

export interface VoteAccepted {
  ticketNo: string;
  voterId: string;
  verdict: VoteCommand['verdict'];
  isPoster: boolean;
  changed: boolean;
}

/** The patch id of votes checked and taken in before they are recorded (never reuse or rename it). */
export const VOTES_TAKEN_IN_TURN = 'votes-taken-in-turn';

export const castVoteUpdate = defineUpdate<VoteAccepted, [VoteCommand]>('castVote');
/** The forum registered (or corrected) who posted the ticket. */
export const posterRegistered = defineSignal<[string]>('posterRegistered');
/** An account that voted here was registered as service staff: its vote never counted. */
export const staffRegistered = defineSignal<[string]>('staffRegistered');
export const voteQuery = defineQuery<VoteState>('vote');

const { openVote, recordVote, closeVote } = proxyActivities<VoteActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['invalid_data'],
  },
});

export async function PublicVoteWorkflow(input: PublicVoteInput): Promise<VoteResult> {
  let s: VoteState = {
    posterId: input.posterId,
    closesAt: Date.parse(input.closesAt),
    closed: false,
    votes: {},
  };

  setHandler(posterRegistered, (posterId) => void (s = { ...s, posterId }));
  setHandler(staffRegistered, (voterId) => void (s = voidStaffVote(s, voterId)));
  setHandler(voteQuery, () => s);
  setHandler(
    castVoteUpdate,
    async (cmd) => {
      const before = s.votes[cmd.voterId];
      const isPoster = cmd.voterId === s.posterId;
      const changed = before !== undefined && before.verdict !== cmd.verdict;
      // Votes sent at once were each checked against the state before any was taken in (the handler
      // took it in only after recording it), so one voter's two votes, or a poster's third, all
      // counted. Now a vote is checked again and taken in before it is recorded: the next one sees it.
      const inTurn = patched(VOTES_TAKEN_IN_TURN);
      if (inTurn) {
        const r = refuseVote(s, cmd, Date.now());
        if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
        s = castVote(s, cmd);
      }
      if (before?.verdict !== cmd.verdict)
        await recordVote({
          ticketNo: input.ticketNo,
          voterId: cmd.voterId,
          verdict: cmd.verdict,
          isPoster,
          at: new Date().toISOString(),
        });
      if (!inTurn) s = castVote(s, cmd);
      return { ticketNo: input.ticketNo, voterId: cmd.voterId, verdict: cmd.verdict, isPoster, changed };
    },
    {
      validator: (cmd) => {
        const r = refuseVote(s, cmd, Date.now());
        if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
      },
    },
  );

  await openVote({
    ticketNo: input.ticketNo,
    unitId: input.unitId,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
  });
  // The close is a timer: nothing scans for windows to close.
  await condition(() => false, Math.max(1, s.closesAt - Date.now()));
  s = { ...s, closed: true };
  await condition(allHandlersFinished);
  const result = voteResult(s);
  await closeVote({ ticketNo: input.ticketNo, result });
  return result;
}
