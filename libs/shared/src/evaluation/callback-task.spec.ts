import { claimOf, CLAIM_TTL_MS, countedAttempts, unreachableVerdict } from './callback-task';
import type { FailedAttempt } from './callback-task';

const T = Date.parse('2026-11-23T01:00:00Z');
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const calls = (...mins: number[]): FailedAttempt[] => mins.map((m) => ({ outcome: 'no_answer', at: at(m) }));

describe('manual callback: unreachable', () => {
  it('three failed calls at least an hour apart make the citizen unreachable', () => {
    expect(unreachableVerdict(calls(0, 60, 120))).toEqual({ ok: true });
    expect(unreachableVerdict(calls(120, 0, 60))).toEqual({ ok: true }); // order of recording does not matter
  });

  it('redials within the hour do not count; two spaced calls are not enough', () => {
    expect(countedAttempts(calls(0, 1, 2, 59))).toHaveLength(1);
    const r = unreachableVerdict(calls(0, 59, 119));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/目前有效拨打2次/);
    expect(unreachableVerdict(calls(0, 60)).ok).toBe(false);
    expect(unreachableVerdict([]).ok).toBe(false);
  });

  it('a wrong or dead number is unreachable at once', () => {
    expect(unreachableVerdict([{ outcome: 'wrong_number', at: at(0) }])).toEqual({ ok: true });
  });
});

describe('manual callback: claims', () => {
  it('free, mine or theirs; a claim lapses after its time', () => {
    const task = { claimedBy: 'op1', claimedAt: new Date(T).toISOString() };
    expect(claimOf(task, 'op1', T + 1000)).toBe('mine');
    expect(claimOf(task, 'op2', T + 1000)).toBe('theirs');
    expect(claimOf(task, 'op2', T + CLAIM_TTL_MS - 1)).toBe('theirs');
    expect(claimOf(task, 'op2', T + CLAIM_TTL_MS)).toBe('free');
    expect(claimOf({ claimedBy: null, claimedAt: null }, 'op1', T)).toBe('free');
  });
});
