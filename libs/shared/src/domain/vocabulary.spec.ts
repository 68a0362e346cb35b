import { DEADLINE_KINDS, isUnitDeadline } from './vocabulary';

describe('whose deadline it is', () => {
  it('holds a unit to signing and replying only; the rest are the centre’s', () => {
    expect(DEADLINE_KINDS.filter(isUnitDeadline)).toEqual(['sign', 'complete']);
    for (const centre of ['direct_reply', 'dispatch', 'review', 'callback_sms', 'callback_manual'] as const)
      expect(isUnitDeadline(centre)).toBe(false);
  });
});
