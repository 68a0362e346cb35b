import {
  attemptFailed,
  attemptSucceeded,
  attemptVoided,
  beginAttempt,
  FRESH_THROTTLE_STATE,
  LOGIN_LIMITS,
  lockDuration,
} from './throttle';
import type { ThrottleDecision, ThrottleLimit, ThrottleState } from './throttle';

const MIN = 60_000;
const account = LOGIN_LIMITS.account;
const address = LOGIN_LIMITS.address;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** `n` attempts at `now`, each failing; the last decision (its state: after the failure). */
function fail(state: ThrottleState, limit: ThrottleLimit, n: number, now: number) {
  let d: ThrottleDecision = { allowed: true, state };
  for (let i = 0; i < n; i++) {
    d = beginAttempt(d.state, limit, now);
    if (d.allowed) d = { allowed: true, state: attemptFailed(d.state, limit, now) };
  }
  return d;
}

describe('login limits', () => {
  it('are 5 per account and 100 per address in 15 minutes, locking 15 minutes', () => {
    expect(account).toMatchObject({ maxFailures: 5, windowMs: 15 * MIN, lockMs: 15 * MIN });
    expect(address).toMatchObject({ maxFailures: 100, windowMs: 15 * MIN, lockMs: 15 * MIN });
  });
  it('count attempts for an account, failures for an address', () => {
    expect(account.counts).toBe('attempts');
    expect(address.counts).toBe('failures');
  });
});

describe('beginAttempt', () => {
  it('allows the 5th attempt of an account and locks at the 6th, for 15 minutes', () => {
    const fifth = fail(FRESH_THROTTLE_STATE, account, 5, T0);
    expect(fifth.allowed).toBe(true);
    expect(fifth.state.failures).toBe(5);
    const sixth = beginAttempt(fifth.state, account, T0);
    expect(sixth).toMatchObject({ allowed: false, retryAfterSeconds: 15 * 60 });
    expect(sixth.state.lockedUntil).toBe(T0 + 15 * MIN);
    expect(sixth.state.lockouts).toBe(1);
  });
  it('allows the 100th failure of an address and locks at the 101st', () => {
    expect(fail(FRESH_THROTTLE_STATE, address, 100, T0).allowed).toBe(true);
    expect(fail(FRESH_THROTTLE_STATE, address, 101, T0).allowed).toBe(false);
  });
  it('counts an account attempt when it begins, an address attempt only when it fails', () => {
    const begun = beginAttempt(FRESH_THROTTLE_STATE, account, T0);
    expect(begun.state.failures).toBe(1);
    expect(attemptFailed(begun.state, account, T0).failures).toBe(1);
    const fromAddress = beginAttempt(FRESH_THROTTLE_STATE, address, T0);
    expect(fromAddress.state.failures).toBe(0);
    expect(attemptFailed(fromAddress.state, address, T0).failures).toBe(1);
  });
  it('lets any number of concurrent attempts from one address begin while few have failed', () => {
    let s = fail(FRESH_THROTTLE_STATE, address, 99, T0).state;
    for (let i = 0; i < 500; i++) {
      const d = beginAttempt(s, address, T0);
      expect(d.allowed).toBe(true);
      s = d.state;
    }
    expect(s.failures).toBe(99);
  });
  it("restarts an address's failures once the window has passed", () => {
    const many = fail(FRESH_THROTTLE_STATE, address, 100, T0).state;
    expect(attemptFailed(many, address, T0 + 15 * MIN)).toMatchObject({
      failures: 1,
      windowStartedAt: T0 + 15 * MIN,
    });
    expect(attemptFailed(many, address, T0 + 15 * MIN - 1).failures).toBe(101);
  });
  it('refuses while locked, to the last millisecond, without extending the lock', () => {
    const locked = fail(FRESH_THROTTLE_STATE, account, 6, T0).state;
    const during = beginAttempt(locked, account, T0 + 15 * MIN - 1);
    expect(during).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(during.state).toEqual(locked);
    expect(beginAttempt(locked, account, T0 + 5 * MIN)).toMatchObject({ retryAfterSeconds: 10 * 60 });
  });
  it('allows again once the lock has ended', () => {
    const locked = fail(FRESH_THROTTLE_STATE, account, 6, T0).state;
    const after = beginAttempt(locked, account, T0 + 15 * MIN);
    expect(after.allowed).toBe(true);
    expect(after.state.failures).toBe(1);
  });
  it('forgets failures older than the window, not those inside it', () => {
    const four = fail(FRESH_THROTTLE_STATE, account, 5, T0).state;
    expect(beginAttempt(four, account, T0 + 15 * MIN - 1).allowed).toBe(false);
    const fresh = beginAttempt(four, account, T0 + 15 * MIN);
    expect(fresh.allowed).toBe(true);
    expect(fresh.state).toMatchObject({ failures: 1, windowStartedAt: T0 + 15 * MIN });
  });
  it('doubles each further lock (backoff), up to 24 h', () => {
    expect(lockDuration(account, 1)).toBe(15 * MIN);
    expect(lockDuration(account, 2)).toBe(30 * MIN);
    expect(lockDuration(account, 3)).toBe(60 * MIN);
    expect(lockDuration(account, 7)).toBe(16 * 60 * MIN);
    expect(lockDuration(account, 8)).toBe(24 * 60 * MIN);
    expect(lockDuration(account, 30)).toBe(24 * 60 * MIN);
    const first = fail(FRESH_THROTTLE_STATE, account, 6, T0).state;
    const second = fail(first, account, 6, first.lockedUntil!);
    expect(second).toMatchObject({ allowed: false, retryAfterSeconds: 30 * 60 });
    expect(second.state.lockouts).toBe(2);
  });
  it('starts the backoff again after 24 h clean since the last lock, not before', () => {
    const first = fail(FRESH_THROTTLE_STATE, account, 6, T0).state;
    const justBefore = fail(first, account, 6, first.lockedUntil! + 24 * 60 * MIN - 1);
    expect(justBefore.state.lockouts).toBe(2);
    const after = fail(first, account, 6, first.lockedUntil! + 24 * 60 * MIN);
    expect(after).toMatchObject({ allowed: false, retryAfterSeconds: 15 * 60 });
    expect(after.state.lockouts).toBe(1);
  });
});

describe('attemptSucceeded', () => {
  it("resets an account's failures and backoff", () => {
    const four = fail(FRESH_THROTTLE_STATE, account, 4, T0).state;
    expect(attemptSucceeded(four, account)).toEqual(FRESH_THROTTLE_STATE);
    // after a success, five more failures are allowed again
    expect(fail(attemptSucceeded(four, account), account, 5, T0).allowed).toBe(true);
  });
  it("keeps an address's failures: a valid login between guesses does not clear a spraying address", () => {
    const three = fail(FRESH_THROTTLE_STATE, address, 3, T0).state;
    expect(attemptSucceeded(three, address).failures).toBe(3);
    expect(attemptSucceeded(FRESH_THROTTLE_STATE, address).failures).toBe(0);
  });
  it('voids an account attempt that ended in an outage; an address had not counted it', () => {
    const two = fail(FRESH_THROTTLE_STATE, account, 2, T0).state;
    expect(attemptVoided(two, account).failures).toBe(1);
    const three = fail(FRESH_THROTTLE_STATE, address, 3, T0).state;
    expect(attemptVoided(three, address).failures).toBe(3);
  });
});
