import { ticketsOfOwnOnly } from './assessment.service';
import type { PublishedUnit } from './assessment.service';

const row = (unitId: string): PublishedUnit =>
  ({
    unitId,
    unitName: unitId,
    total: 90,
    rank: 1,
    unrankedReason: null,
    manualEntered: true,
    assessment: {
      unitId,
      base: 90,
      bonus: 0,
      total: 90,
      sample: 40,
      items: [
        {
          key: 'timeliness',
          label: '及时签收答复',
          max: 20,
          score: 19.5,
          deductions: [{ reason: '超时签收', points: 0.5, tickets: ['20261207000001'] }],
        },
      ],
    },
  }) as unknown as PublishedUnit;

describe('a published ranking as a unit clerk reads it', () => {
  it("keeps the tickets behind its own unit's deductions and hides every other unit's", () => {
    expect(ticketsOfOwnOnly(row('market'), 'market')).toEqual(row('market'));
    const other = ticketsOfOwnOnly(row('transport'), 'market');
    expect(other.assessment.items[0]!.deductions).toEqual([{ reason: '超时签收', points: 0.5, tickets: [] }]);
    expect(other.total).toBe(90);
  });
});
