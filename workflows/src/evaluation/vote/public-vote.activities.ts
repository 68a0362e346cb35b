import type { VoteRepository } from '@hotline/platform';
import type { Verdict, VoteResult } from '@hotline/shared';

/** The vote's records: each idempotent (the window once, a vote as an upsert, the close once). */
export function createVoteActivities(deps: {
  votes: Pick<VoteRepository, 'openWindow' | 'recordVote' | 'closeWindow'>;
}) {
  return {
    async openVote(i: {
      ticketNo: string;
      unitId: string;
      opensAt: string;
      closesAt: string;
    }): Promise<void> {
      await deps.votes.openWindow(i.ticketNo, i.unitId, i.opensAt, i.closesAt);
    },
    async recordVote(i: {
      ticketNo: string;
      voterId: string;
      verdict: Verdict;
      isPoster: boolean;
      at: string;
    }) {
      await deps.votes.recordVote(i.ticketNo, i.voterId, i.verdict, i.isPoster, i.at);
    },
    async closeVote(i: { ticketNo: string; result: VoteResult }): Promise<void> {
      await deps.votes.closeWindow(i.ticketNo, i.result);
    },
  };
}

export type VoteActivities = ReturnType<typeof createVoteActivities>;
