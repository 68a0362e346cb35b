import { StartPacer, startPacerOptionsFromEnv, START_PACER_DEFAULTS } from './start-pacer';

describe('StartPacer', () => {
  const t0 = 1_000_000;

  it('lets every start go at the everyday rate', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    p.registered(t0);
    p.registered(t0 + 50); // 2 in a tenth of a second: 20/s, at the threshold
    expect(p.surging(t0 + 60)).toBe(false);
    expect(p.mayStart(t0 + 60, t0 + 60)).toEqual({ go: true });
  });

  it('holds starts once tickets come faster than the threshold (seen within a tenth of a second)', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    for (let i = 0; i < 3; i++) p.registered(t0 + i * 10); // 100/s: the third in 20 ms
    expect(p.surging(t0 + 20)).toBe(true);
    expect(p.mayStart(t0 + 20, t0 + 20)).toEqual({ go: false, retryInMs: 50 });
  });

  it('lets them go once the surge has passed', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    for (let i = 0; i < 50; i++) p.registered(t0 + i * 10); // the last at t0 + 490
    expect(p.mayStart(t0, t0 + 560)).toEqual({ go: false, retryInMs: 50 }); // 3 in the last 100 ms
    expect(p.mayStart(t0, t0 + 570)).toEqual({ go: true }); // 2: at the threshold, no longer above
  });

  it('never holds a start longer than the longest deferral, however long the surge', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    let now = t0;
    for (; now < t0 + 40_000; now += 10) p.registered(now); // 100 a second for 40 s
    expect(p.surging(now)).toBe(true);
    expect(p.mayStart(now - 29_999, now)).toEqual({ go: false, retryInMs: 1 });
    expect(p.mayStart(now - 30_000, now)).toEqual({ go: true });
  });

  it('never holds anything when the threshold is 0', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 0, maxDeferMs: 30_000 });
    for (let i = 0; i < 500; i++) p.registered(t0);
    expect(p.mayStart(t0, t0)).toEqual({ go: true });
  });

  it('reads its settings from the environment, and falls back on bad values', () => {
    expect(startPacerOptionsFromEnv({})).toEqual(START_PACER_DEFAULTS);
    expect(
      startPacerOptionsFromEnv({ HOTLINE_START_YIELD_ABOVE: '0', HOTLINE_START_MAX_DEFER_MS: '5000' }),
    ).toEqual({ yieldAbovePerSecond: 0, maxDeferMs: 5000 });
    expect(
      startPacerOptionsFromEnv({ HOTLINE_START_YIELD_ABOVE: '-3', HOTLINE_START_MAX_DEFER_MS: 'soon' }),
    ).toEqual(START_PACER_DEFAULTS);
  });
});
