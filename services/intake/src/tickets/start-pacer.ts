/**
 * When the starts of committed tickets' workflows may go, so that a surge at intake is answered
 * first and dispatched right after.
 *
 * On a surge (tickets registered faster than `yieldAbovePerSecond`: seen over the last tenth of a
 * second, so that it is seen after its first few tickets, and lasting until a whole second has been
 * below that rate, so that a gap between a few tickets does not end it) each start
 * costs the whole platform CPU (Temporal, the worker, the consumers) that the operators' requests
 * need: the starts wait. A ticket is safe in Postgres once committed, and its deadlines count from
 * its creation, so a start that waits loses the unit nothing; still, none waits longer than
 * `maxDeferMs`, so a surge that lasts does not starve the dispatch. Below the threshold (the
 * hotline's everyday rate, a few tickets a second at peak) every start goes at once.
 */
export interface StartPacerOptions {
  /** Registrations per second above which starts wait (0: never wait). */
  yieldAbovePerSecond: number;
  /** The longest a start waits. */
  maxDeferMs: number;
}

export const START_PACER_DEFAULTS: StartPacerOptions = { yieldAbovePerSecond: 20, maxDeferMs: 30_000 };

/** The window a surge is seen in. */
export const START_PACER_WINDOW_MS = 100;
/**
 * The window a surge must be calm over before it ends. Commits come in bunches (they queue for the
 * day's ticket counter), so a tenth of a second with only a ticket or two is no sign that the
 * surge is over: ending it there let the held starts go in the middle of it.
 */
export const START_PACER_CALM_MS = 1000;

/** From the environment: HOTLINE_START_YIELD_ABOVE (per second), HOTLINE_START_MAX_DEFER_MS. */
export function startPacerOptionsFromEnv(env: NodeJS.ProcessEnv): StartPacerOptions {
  const num = (v: string | undefined, dflt: number) => {
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? n : dflt;
  };
  return {
    yieldAbovePerSecond: num(env.HOTLINE_START_YIELD_ABOVE, START_PACER_DEFAULTS.yieldAbovePerSecond),
    maxDeferMs: num(env.HOTLINE_START_MAX_DEFER_MS, START_PACER_DEFAULTS.maxDeferMs),
  };
}

export class StartPacer {
  /** When each registration of the last calm window arrived (ms), oldest first. */
  private readonly arrivals: number[] = [];

  constructor(private readonly opts: StartPacerOptions = START_PACER_DEFAULTS) {}

  /** A ticket was registered at `now`. */
  registered(now: number): void {
    this.arrivals.push(now);
    this.forget(now);
  }

  /** Whether intake is in a surge at `now`. */
  surging(now: number): boolean {
    if (this.opts.yieldAbovePerSecond <= 0) return false;
    this.forget(now);
    const perSecond = this.opts.yieldAbovePerSecond;
    if (this.arrivals.length > (perSecond * START_PACER_CALM_MS) / 1000) return true;
    let recent = 0;
    for (let i = this.arrivals.length - 1; i >= 0 && this.arrivals[i] > now - START_PACER_WINDOW_MS; i--)
      recent++;
    return recent > (perSecond * START_PACER_WINDOW_MS) / 1000;
  }

  /**
   * Whether the start of a ticket queued at `queuedAt` may go at `now`; if not, `retryInMs` says
   * when to ask again.
   */
  mayStart(queuedAt: number, now: number): { go: true } | { go: false; retryInMs: number } {
    if (!this.surging(now)) return { go: true };
    const waited = now - queuedAt;
    if (waited >= this.opts.maxDeferMs) return { go: true };
    return { go: false, retryInMs: Math.max(1, Math.min(50, this.opts.maxDeferMs - waited)) };
  }

  private forget(now: number): void {
    while (this.arrivals.length > 0 && this.arrivals[0] <= now - START_PACER_CALM_MS) this.arrivals.shift();
  }
}
