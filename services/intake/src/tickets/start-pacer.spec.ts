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

  it('lets them go once a whole second has been below the threshold', () => {
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    for (let i = 0; i < 50; i++) p.registered(t0 + i * 10); // 100/s, the last at t0 + 490
    expect(p.mayStart(t0, t0 + 570)).toEqual({ go: false, retryInMs: 50 }); // 2 in the last 100 ms, 50 in the second
    expect(p.mayStart(t0, t0 + 1289)).toEqual({ go: false, retryInMs: 50 }); // 21 in the last second
    expect(p.mayStart(t0, t0 + 1290)).toEqual({ go: true }); // 20: at the threshold, no longer above
  });

  it('keeps a surge through a lull between bunches of commits', () => {
    // Commits queued on the day's counter come in bunches: 8 at once, then none for 150 ms.
    const p = new StartPacer({ yieldAbovePerSecond: 20, maxDeferMs: 30_000 });
    let now = t0;
    for (let bunch = 0; bunch < 6; bunch++, now += 150) for (let i = 0; i < 8; i++) p.registered(now);
    expect(p.surging(now + 100)).toBe(true); // nothing in the last 100 ms, 40 in the last second
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
