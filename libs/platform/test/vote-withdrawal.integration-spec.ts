import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { VoteRepository, createDataSource } from '../src';
import { loadConfig } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';

/**
 * A vote window whose opening approval was voided (a lost attempt's), on the real Postgres: the
 * withdrawal holds whichever comes first, the correction or the window's own opening, and only an
 * approval made after it opens the window again.
 */
describe('vote windows withdrawn by a correction', () => {
  let config: PlatformConfig;
  let ds: DataSource;
  let votes: VoteRepository;
  const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 2, 0, s)).toISOString();
  const result = {
    result: 'satisfied' as const,
    posterVerdict: 'satisfied' as const,
    posterDefaulted: true,
    others: { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 },
  };

  beforeAll(async () => {
    config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 3 }).initialize();
    votes = new VoteRepository(ds, config.kafkaPrefix);
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const ticket = () => `T${randomUUID().replace(/-/g, '').slice(0, 13)}`;
  const withdraw = (no: string, s: number) =>
    ds.transaction((m) => votes.withdrawWindow(m, no, 'transport', at(s)));
  const events = async (no: string) =>
    (
      await ds.query(
        `SELECT type FROM evaluation.events WHERE ticket_no = $1 ORDER BY occurred_at, recorded_at`,
        [no],
      )
    ).map((r: { type: string }) => r.type);

  it('withdraws an open window: its votes go, it closes with no result, and says so once', async () => {
    const no = ticket();
    await votes.openWindow(no, 'transport', at(1), at(100));
    await votes.recordVote(no, 'u1', 'unsatisfied', false, at(2));
    await withdraw(no, 3);
    await withdraw(no, 4); // a redelivered correction: nothing more
    await votes.closeWindow(no, result);
    expect(await votes.window(no)).toMatchObject({ status: 'withdrawn', result: null, poster: null });
    expect(await events(no)).toEqual(['evaluation.vote_opened', 'evaluation.vote_withdrawn']);
  });

  it('holds when the correction comes before the lost approval’s window opens', async () => {
    const no = ticket();
    await withdraw(no, 5);
    // The lost attempt's vote workflow, late: its approval came before the withdrawal.
    await votes.openWindow(no, 'transport', at(1), at(100));
    expect((await votes.window(no))?.status).toBe('withdrawn');
    expect(await events(no)).toEqual([]);
    // A real approval, after it, opens the window.
    await votes.openWindow(no, 'transport', at(10), at(110));
    expect(await votes.window(no)).toMatchObject({ status: 'open', withdrawnAt: null });
    expect(await events(no)).toEqual(['evaluation.vote_opened']);
  });

  it('opens again on a later approval, without the votes cast before; a closed window stays closed', async () => {
    const no = ticket();
    await votes.openWindow(no, 'transport', at(1), at(100));
    await withdraw(no, 3);
    await votes.recordVote(no, 'u1', 'unsatisfied', false, at(4)); // its workflow, not yet called off
    await votes.openWindow(no, 'transport', at(10), at(110));
    await votes.recordVote(no, 'u2', 'satisfied', false, at(11));
    await votes.closeWindow(no, result);
    await withdraw(no, 12);
    expect(await votes.window(no)).toMatchObject({
      status: 'closed',
      result: 'satisfied',
      others: result.others,
    });
    expect(await ds.query(`SELECT voter_id FROM evaluation.public_votes WHERE ticket_no = $1`, [no])).toEqual(
      [{ voter_id: 'u2' }],
    );
    expect(await events(no)).toEqual([
      'evaluation.vote_opened',
      'evaluation.vote_withdrawn',
      'evaluation.vote_opened',
      'evaluation.vote_closed',
    ]);
  });
});
