import { assistingAtIntake } from './routing';

describe('assistingAtIntake: assisting units only on a dispatched ticket', () => {
  it('lets a dispatched ticket name assisting units, and any ticket name none', () => {
    expect(assistingAtIntake('dispatch', 2)).toBeNull();
    for (const type of ['dispatch', 'direct_answer', 'three_way_call', 'not_accepted'])
      expect(assistingAtIntake(type, 0)).toBeNull();
  });

  it.each(['direct_answer', 'three_way_call', 'special_line', 'special_window', 'not_accepted'])(
    'refuses assisting units on a %s ticket, which is on no desk',
    (type) => {
      expect(assistingAtIntake(type, 1)).toContain(type);
    },
  );
});
