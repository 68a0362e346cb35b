/**
 * Login throttling: how many failed attempts an account or a client address may make, and for how
 * long it is locked after that. Pure: the state comes in, the next state and the decision go out;
 * the platform keeps the state in Postgres (identity.login_throttle), one row per key, and applies
 * these functions under a row lock, so the limits hold across restarts and several instances.
 *
 * An account's attempts are counted pessimistically: an attempt counts as a failure when it starts
 * (so a burst of concurrent guesses at one account cannot all pass the check before any failure is
 * recorded) and a success resets the account. An address counts only the attempts that failed: a
 * centre's clerks behind one address logging in at once at the start of a shift must never lock
 * each other out, and a spraying address is still stopped (within the concurrency it uses).
 */
export interface ThrottleLimit {
  /** Failures allowed within the window; the next attempt locks the key. */
  maxFailures: number;
  windowMs: number;
  /** The first lock's length; each further lock doubles it (backoff), up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
  /** A key that has stayed clean this long after its last lock starts again from the first lock. */
  forgetLockoutsAfterMs: number;
  /** Attempts count when they start (and a success gives its attempt back) or only when they fail. */
  counts: 'attempts' | 'failures';
}

export type ThrottleScope = 'account' | 'address';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Per account (the username as typed, lower-cased, known or not): 5 failures in 15 min → locked
 * 15 min, then 30, 60… up to 24 h. Per client address (a centre's clerks may share one): 100
 * failures in 15 min, whatever the usernames → locked 15 min, up to 24 h.
 */
export const LOGIN_LIMITS: Record<ThrottleScope, ThrottleLimit> = {
  account: {
    maxFailures: 5,
    windowMs: 15 * MINUTE,
    lockMs: 15 * MINUTE,
    maxLockMs: 24 * HOUR,
    forgetLockoutsAfterMs: 24 * HOUR,
    counts: 'attempts',
  },
  address: {
    maxFailures: 100,
    windowMs: 15 * MINUTE,
    lockMs: 15 * MINUTE,
    maxLockMs: 24 * HOUR,
    forgetLockoutsAfterMs: 24 * HOUR,
    counts: 'failures',
  },
};

/**
 * A citizen's query code (查询码, six digits) is guessed at per ticket. Per ticket and address: 5
 * failures in 15 min lock that address out of that ticket (as an account's login). Per ticket from
 * every address together: 30 failures in 15 min lock the ticket, so guesses spread over many
 * addresses stay far too few for a million codes; and one address can no longer lock a citizen out
 * of their own look-up by five wrong codes, as it could while the ticket alone was counted.
 */
export const LOOKUP_TICKET_LIMIT: ThrottleLimit = {
  maxFailures: 30,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  maxLockMs: 24 * HOUR,
  forgetLockoutsAfterMs: 24 * HOUR,
  counts: 'failures',
};

/** One key's counters; times in epoch milliseconds. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: number | null;
  lockedUntil: number | null;
  /** Locks so far (for the backoff). */
  lockouts: number;
}

export const FRESH_THROTTLE_STATE: ThrottleState = {
  failures: 0,
  windowStartedAt: null,
  lockedUntil: null,
  lockouts: 0,
};

export type ThrottleDecision =
  | { allowed: true; state: ThrottleState }
  | { allowed: false; retryAfterSeconds: number; state: ThrottleState };

/** The length of the lock number `n` (1-based) under `limit`. */
export function lockDuration(limit: ThrottleLimit, n: number): number {
  return Math.min(limit.lockMs * 2 ** Math.max(0, n - 1), limit.maxLockMs);
}

const retryAfter = (until: number, now: number) => Math.max(1, Math.ceil((until - now) / 1000));

/** The window as it stands at `now`: a lock long past forgotten, an expired window restarted. */
function current(state: ThrottleState, limit: ThrottleLimit, now: number): ThrottleState {
  let next: ThrottleState = { ...state };
  if (next.lockedUntil !== null && now - next.lockedUntil >= limit.forgetLockoutsAfterMs)
    next = { ...next, lockouts: 0, lockedUntil: null };
  if (next.windowStartedAt === null || now - next.windowStartedAt >= limit.windowMs)
    next = { ...next, failures: 0, windowStartedAt: now };
  return next;
}

/**
 * An attempt begins: refused while the key is locked (the state is left as it is: a locked key's
 * attempts neither count nor extend the lock); refused and locked when the window's failures are
 * used up; otherwise allowed, and, where attempts count, counted as a failure until it succeeds.
 */
export function beginAttempt(state: ThrottleState, limit: ThrottleLimit, now: number): ThrottleDecision {
  if (state.lockedUntil !== null && now < state.lockedUntil)
    return { allowed: false, retryAfterSeconds: retryAfter(state.lockedUntil, now), state };
  const next = current(state, limit, now);
  if (next.failures >= limit.maxFailures) {
    const lockouts = next.lockouts + 1;
    const lockedUntil = now + lockDuration(limit, lockouts);
    const locked = { failures: 0, windowStartedAt: null, lockedUntil, lockouts };
    return { allowed: false, retryAfterSeconds: retryAfter(lockedUntil, now), state: locked };
  }
  if (limit.counts === 'failures') return { allowed: true, state: next };
  return { allowed: true, state: { ...next, failures: next.failures + 1 } };
}

/**
 * The attempt failed (wrong credentials, a refused request): where only failures count, it counts
 * now; where attempts count, it was counted when it began.
 */
export function attemptFailed(state: ThrottleState, limit: ThrottleLimit, now: number): ThrottleState {
  if (limit.counts === 'attempts') return state;
  const next = current(state, limit, now);
  return { ...next, failures: next.failures + 1 };
}

/**
 * The attempt succeeded: an account starts afresh (its failures and its backoff); an address keeps
 * its failures, so a valid login between guesses does not clear a spraying address.
 */
export function attemptSucceeded(state: ThrottleState, limit: ThrottleLimit): ThrottleState {
  if (limit.counts === 'failures') return state;
  return { ...FRESH_THROTTLE_STATE };
}

/** The attempt ended neither in success nor a credential failure (an outage): it does not count. */
export function attemptVoided(state: ThrottleState, limit: ThrottleLimit): ThrottleState {
  if (limit.counts === 'failures') return state;
  return { ...state, failures: Math.max(0, state.failures - 1) };
}
