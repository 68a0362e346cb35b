import { CHANNEL_DETAIL_LABELS } from './glossary';
import { ALL_CHANNEL_DETAILS, channelDetailProblem, DEADLINE_KINDS, isUnitDeadline } from './vocabulary';

describe('whose deadline it is', () => {
  it('holds a unit to signing and replying only; the rest are the centre’s', () => {
    expect(DEADLINE_KINDS.filter(isUnitDeadline)).toEqual(['sign', 'complete']);
    for (const centre of ['direct_reply', 'dispatch', 'review', 'callback_sms', 'callback_manual'] as const)
      expect(isUnitDeadline(centre)).toBe(false);
  });
});

describe('a channel’s detail (which leader mailbox, which upper platform)', () => {
  it('is one of its channel’s, or none', () => {
    expect(channelDetailProblem('leader_mailbox', 'mayor')).toBeNull();
    expect(channelDetailProblem('upper_platform', 'provincial_12345')).toBeNull();
    expect(channelDetailProblem('leader_mailbox', null)).toBeNull();
    expect(channelDetailProblem('phone', undefined)).toBeNull();
    expect(channelDetailProblem('phone', 'mayor')).toMatch(/has no channelDetail/);
    expect(channelDetailProblem('leader_mailbox', 'provincial_12345')).toMatch(/must be one of/);
    expect(channelDetailProblem('upper_platform', 'mayor')).toMatch(/must be one of/);
  });
  it('has a Chinese label for each', () => {
    for (const d of ALL_CHANNEL_DETAILS) expect(CHANNEL_DETAIL_LABELS[d]).toMatch(/\p{Script=Han}/u);
  });
});
