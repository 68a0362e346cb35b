import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ExpertCaseWithdrawnError, ExpertRepository, PiiCipher, createDataSource } from '../src';
import { loadConfig } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';

/**
 * An expert case whose request was voided (a lost attempt's), on the real Postgres: the holder lets
 * go, nothing more is assigned or reminded, a decided case stays decided, and only a request made
 * after the withdrawal opens the case again, its attempts counted on.
 */
describe('expert cases withdrawn by a correction', () => {
  let config: PlatformConfig;
  let ds: DataSource;
  let experts: ExpertRepository;
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  beforeAll(async () => {
    config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 3 }).initialize();
    experts = new ExpertRepository(ds, config.kafkaPrefix, PiiCipher.fromEnv(process.env));
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const ticket = () => `E${randomUUID().replace(/-/g, '').slice(0, 13)}`;
  const open = (no: string, at: string) => ds.transaction((m) => experts.openCase(m, no, 'transport', at));
  const withdraw = (no: string, at: string) => ds.transaction((m) => experts.withdrawCase(m, no, at));
  const assign = (no: string, attempt: number, at = ago(0)) =>
    experts.assign({
      ticketNo: no,
      unitId: 'transport',
      attempt,
      tried: [],
      assignedAt: at,
      decideBy: new Date(Date.now() + 86_400_000).toISOString(),
    });
  const status = async (no: string) =>
    (
      (await ds.query(`SELECT status FROM evaluation.expert_cases WHERE ticket_no = $1`, [no]))[0] as {
        status: string;
      }
    ).status;
  const withdrawals = (no: string) =>
    ds.query(
      `SELECT data FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.expert_case_withdrawn'`,
      [no],
    );

  it('lets the holder go, refuses the next assignment and reminder, and says so once', async () => {
    const no = ticket();
    expect(await open(no, ago(60))).toBe(true);
    const holder = await assign(no, 1);
    expect(holder).not.toBeNull(); // the demo pool has eligible evaluators
    expect(await withdraw(no, ago(30))).toBe(true);
    expect(await withdraw(no, ago(20))).toBe(false); // a redelivered correction
    expect(await status(no)).toBe('withdrawn');
    expect(
      await ds.query(`SELECT outcome FROM evaluation.expert_assignments WHERE ticket_no = $1`, [no]),
    ).toEqual([{ outcome: 'case_withdrawn' }]);
    expect((await withdrawals(no)).map((r: { data: unknown }) => r.data)).toEqual([
      { caseId: no, unitId: 'transport', evaluatorId: holder!.evaluatorId, reason: 'record_corrected' },
    ]);
    await expect(assign(no, 2)).rejects.toBeInstanceOf(ExpertCaseWithdrawnError);
    expect(await experts.markReminded(no, 1)).toBeNull();
    // The holder is the one to tell, with the phone they were assigned by.
    expect(await experts.heldWhenWithdrawn(no, 1)).toEqual({ phone: holder!.phone });
    expect(await experts.heldWhenWithdrawn(no, 2)).toBeNull();
  });

  it('names nobody to tell for an attempt that ended before the case was withdrawn', async () => {
    const no = ticket();
    await open(no, ago(60));
    await assign(no, 1);
    await experts.withdraw({ ticketNo: no, attempt: 1, reason: 'timed_out', note: '' });
    expect(await withdraw(no, ago(10))).toBe(true);
    expect(await experts.heldWhenWithdrawn(no, 1)).toBeNull();
  });

  it('opens again only for a request made after the withdrawal, its attempts counted on', async () => {
    const no = ticket();
    await open(no, ago(60));
    await assign(no, 1, ago(55));
    await withdraw(no, ago(30));
    // The lost attempt's request, delivered late: it came before the withdrawal.
    expect(await open(no, ago(50))).toBe(false);
    expect(await status(no)).toBe('withdrawn');
    expect(await open(no, ago(10))).toBe(true);
    expect(await status(no)).toBe('waiting_for_evaluator');
    expect(await experts.attemptsOf(no)).toBe(1);
    // Its workflow has not assigned it since it opened again: the sweep would start it.
    expect((await experts.unstartedCases(5)).map((c) => c.ticketNo)).toContain(no);
    await assign(no, 2);
    expect((await experts.unstartedCases(5)).map((c) => c.ticketNo)).not.toContain(no);
  });

  it('leaves a decided case as it is', async () => {
    const no = ticket();
    await open(no, ago(60));
    await assign(no, 1);
    await experts.recordVerdict({ ticketNo: no, attempt: 1, verdict: 'satisfied', reason: '已解决' });
    expect(await withdraw(no, ago(10))).toBe(false);
    expect(await status(no)).toBe('decided');
    expect(await withdrawals(no)).toEqual([]);
  });
});
