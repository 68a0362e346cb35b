import { castVote, publicVoteNeedsExperts, refuseVote, voidStaffVote, voteResult } from './vote';
import type { VoteCommand, VoteState } from './vote';

const CLOSES = Date.parse('2026-12-08T00:00:00Z');
const open = (): VoteState => ({ posterId: 'poster', closesAt: CLOSES, closed: false, votes: {} });
const vote = (voterId: string, verdict: VoteCommand['verdict'], staff = false): VoteCommand => ({
  voterId,
  verdict,
  staff,
});
const apply = (s: VoteState, ...cmds: VoteCommand[]) => cmds.reduce((x, c) => castVote(x, c), s);

describe('public votes (SZ 寒山闻钟)', () => {
  it('the window: a vote a millisecond before the close counts, at the close it does not', () => {
    expect(refuseVote(open(), vote('u1', 'satisfied'), CLOSES - 1)).toBeNull();
    expect(refuseVote(open(), vote('u1', 'satisfied'), CLOSES)?.code).toBe('vote_window_closed');
    expect(refuseVote({ ...open(), closed: true }, vote('u1', 'satisfied'), 0)?.code).toBe(
      'vote_window_closed',
    );
  });

  it('one vote per user; repeating the same vote changes nothing', () => {
    const s = apply(open(), vote('u1', 'satisfied'));
    expect(refuseVote(s, vote('u1', 'unsatisfied'), 0)?.code).toBe('already_voted');
    expect(refuseVote(s, vote('u1', 'satisfied'), 0)).toBeNull();
    expect(castVote(s, vote('u1', 'satisfied'))).toBe(s);
  });

  it('the poster may change once, not twice', () => {
    const s1 = apply(open(), vote('poster', 'unsatisfied'));
    expect(refuseVote(s1, vote('poster', 'satisfied'), 0)).toBeNull();
    const s2 = castVote(s1, vote('poster', 'satisfied'));
    expect(s2.votes.poster).toEqual({ verdict: 'satisfied', changes: 1 });
    expect(refuseVote(s2, vote('poster', 'basically_satisfied'), 0)?.code).toBe('vote_change_used');
  });

  it('staff cannot vote; bad input is refused', () => {
    expect(refuseVote(open(), vote('clerk', 'satisfied', true), 0)?.code).toBe('staff_cannot_vote');
    expect(refuseVote(open(), vote('', 'satisfied'), 0)?.code).toBe('validation_failed');
    expect(refuseVote(open(), { voterId: 'u', verdict: 'meh' as never, staff: false }, 0)?.code).toBe(
      'validation_failed',
    );
  });

  it('the result is the poster’s verdict, satisfied when they never voted; the others apart', () => {
    const s = apply(
      open(),
      vote('u1', 'unsatisfied'),
      vote('u2', 'unsatisfied'),
      vote('u3', 'basically_satisfied'),
    );
    expect(voteResult(s)).toEqual({
      result: 'satisfied',
      posterVerdict: 'satisfied',
      posterDefaulted: true,
      others: { satisfied: 0, basically_satisfied: 1, unsatisfied: 2 },
    });
    const withPoster = apply(s, vote('poster', 'basically_satisfied'));
    expect(voteResult(withPoster)).toMatchObject({ result: 'basically_satisfied', posterDefaulted: false });
    expect(voteResult({ ...open(), posterId: null }).posterDefaulted).toBe(true);
  });

  it('an unsatisfied result goes to the experts; the others’ votes decide nothing', () => {
    const othersUnhappy = apply(open(), vote('u1', 'unsatisfied'), vote('u2', 'unsatisfied'));
    expect(publicVoteNeedsExperts(voteResult(othersUnhappy))).toBe(false);
    expect(publicVoteNeedsExperts(voteResult(apply(open(), vote('poster', 'unsatisfied'))))).toBe(true);
    expect(publicVoteNeedsExperts(voteResult(apply(open(), vote('poster', 'basically_satisfied'))))).toBe(
      false,
    );
  });

  it('a voter registered as staff while the window is open loses its vote; after the close, nothing changes', () => {
    const s = apply(open(), vote('u1', 'unsatisfied'), vote('poster', 'unsatisfied'));
    expect(voteResult(voidStaffVote(s, 'u1')).others.unsatisfied).toBe(0);
    expect(voteResult(voidStaffVote(s, 'poster'))).toMatchObject({
      result: 'satisfied',
      posterDefaulted: true,
    });
    expect(voidStaffVote(s, 'nobody')).toBe(s);
    expect(voidStaffVote({ ...s, closed: true }, 'u1').votes.u1).toBeDefined();
    // Registered as staff, it cannot vote again either.
    expect(refuseVote(voidStaffVote(s, 'u1'), vote('u1', 'satisfied', true), 0)?.code).toBe(
      'staff_cannot_vote',
    );
  });
});
