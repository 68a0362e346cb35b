import { PRACTICE_TARGETS, practiceTargets } from './targets';

const none = { resolved: 0, unresolved: 0, satisfied: 0, evaluated: 0 };

describe('the targets seen in practice (RULES §7: ≥ 60 % city-wide, ≥ 50 % supervised)', () => {
  it('meets a target at exactly its rate, and misses it just below', () => {
    const t = practiceTargets({
      city: { resolved: 3, unresolved: 2, satisfied: 59, evaluated: 100 },
      supervised: { resolved: 1, unresolved: 1, satisfied: 49, evaluated: 100 },
    });
    expect(t.city.resolution).toEqual({ rate: 0.6, target: 0.6, meetsTarget: true, asked: 5 });
    expect(t.city.satisfaction).toMatchObject({ rate: 0.59, meetsTarget: false, evaluated: 100 });
    expect(t.supervised.resolution).toMatchObject({ rate: 0.5, target: 0.5, meetsTarget: true });
    expect(t.supervised.satisfaction).toMatchObject({ rate: 0.49, meetsTarget: false });
  });

  it('has no rate where nothing was counted: neither met nor missed', () => {
    const t = practiceTargets({ city: none, supervised: none });
    expect(t.city.resolution).toEqual({
      rate: null,
      target: PRACTICE_TARGETS.city,
      meetsTarget: null,
      asked: 0,
    });
    expect(t.supervised.satisfaction).toEqual({
      rate: null,
      target: PRACTICE_TARGETS.supervised,
      meetsTarget: null,
      evaluated: 0,
    });
  });
});
