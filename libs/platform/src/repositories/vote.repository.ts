import { returnedRows } from '../db/returned-rows';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, Verdict, VoteResult } from '@hotline/shared';
import { appendEvaluationEvent } from './evaluation-events';
import { stableUuid } from './expert.repository';

const SYSTEM: Actor = { kind: 'system' };

/**
 * Public votes (SZ 寒山闻钟): the forum's posters and staff accounts, each ticket's vote window,
 * its votes and its result. The window's opening and closing are events (outbox, same transaction).
 */
export class VoteRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  /**
   * Registers (or corrects) who posted the ticket, unless votes make it too late: once votes are
   * cast, the poster named cannot change, nor can a voter who voted as anyone else become the
   * poster (their vote, and the result, would change role after the fact).
   */
  async registerPoster(
    ticketNo: string,
    postId: string,
    posterId: string,
  ): Promise<'registered' | 'votes_cast'> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('evaluation.forum_posts:' || $1, 0))`, [
        ticketNo,
      ]);
      const [current]: { posterId: string }[] = await m.query(
        `SELECT poster_id AS "posterId" FROM evaluation.forum_posts WHERE ticket_no = $1`,
        [ticketNo],
      );
      const [votes]: { cast: number; theirs: number }[] = await m.query(
        `SELECT count(*)::int AS cast, count(*) FILTER (WHERE voter_id = $2)::int AS theirs
         FROM evaluation.public_votes WHERE ticket_no = $1`,
        [ticketNo, posterId],
      );
      const changes = current ? current.posterId !== posterId : votes!.theirs > 0;
      if (votes!.cast > 0 && changes) return 'votes_cast';
      await m.query(
        `INSERT INTO evaluation.forum_posts (ticket_no, post_id, poster_id) VALUES ($1,$2,$3)
         ON CONFLICT (ticket_no) DO UPDATE SET post_id = $2, poster_id = $3, registered_at = now()`,
        [ticketNo, postId, posterId],
      );
      return 'registered';
    });
  }

  /**
   * Runs `work` holding the ticket's vote lock: shared for a vote (votes go on side by side),
   * exclusive for the poster's registration. A vote is taken in by its workflow before it is written
   * here, so a registration checking the votes written could miss one in flight and make its voter
   * the poster after the fact; under the lock it waits for the votes in flight to be written, and
   * the votes after it wait for its signal.
   */
  async underVoteLock<T>(ticketNo: string, mode: 'vote' | 'poster', work: () => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(
        `SELECT ${mode === 'vote' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtextextended('evaluation.vote-lock:' || $1, 0))`,
        [ticketNo],
      );
      return work();
    });
  }

  async posterOf(ticketNo: string): Promise<string | null> {
    const rows: { posterId: string }[] = await this.ds.query(
      `SELECT poster_id AS "posterId" FROM evaluation.forum_posts WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0]?.posterId ?? null;
  }

  async isStaff(accountId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM evaluation.forum_staff_accounts WHERE account_id = $1`, [
      accountId,
    ]);
    return rows.length > 0;
  }

  async addStaff(accountId: string, by: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO evaluation.forum_staff_accounts (account_id, added_by) VALUES ($1,$2) ON CONFLICT DO NOTHING`,
      [accountId, by],
    );
  }

  /** The open windows in which this account voted. */
  async openWindowsVotedBy(accountId: string): Promise<string[]> {
    const rows: { ticketNo: string }[] = await this.ds.query(
      `SELECT v.ticket_no AS "ticketNo" FROM evaluation.public_votes v
       JOIN evaluation.vote_windows w ON w.ticket_no = v.ticket_no AND w.status = 'open'
       WHERE v.voter_id = $1 ORDER BY v.ticket_no`,
      [accountId],
    );
    return rows.map((r) => r.ticketNo);
  }

  async removeStaff(accountId: string): Promise<boolean> {
    const rows = returnedRows<unknown>(
      await this.ds.query(
        `DELETE FROM evaluation.forum_staff_accounts WHERE account_id = $1 RETURNING account_id`,
        [accountId],
      ),
    );
    return rows.length > 0;
  }

  async staff(): Promise<{ accountId: string; addedBy: string; addedAt: string }[]> {
    return this.ds.query(
      `SELECT account_id AS "accountId", added_by AS "addedBy", added_at AS "addedAt"
       FROM evaluation.forum_staff_accounts ORDER BY added_at, account_id`,
    );
  }

  /**
   * Opens the ticket's window, once. A withdrawn one opens again for an approval made after the
   * withdrawal, without the votes cast before.
   */
  async openWindow(ticketNo: string, unitId: string, opensAt: string, closesAt: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO evaluation.vote_windows (ticket_no, unit_id, opens_at, closes_at, status)
         VALUES ($1,$2,$3,$4,'open')
         ON CONFLICT (ticket_no) DO UPDATE SET unit_id = $2, opens_at = $3, closes_at = $4, status = 'open',
           withdrawn_at = NULL
           WHERE evaluation.vote_windows.status = 'withdrawn' AND evaluation.vote_windows.withdrawn_at < $3
         RETURNING ticket_no`,
        [ticketNo, unitId, opensAt, closesAt],
      );
      if (rows.length === 0) return;
      await m.query(`DELETE FROM evaluation.public_votes WHERE ticket_no = $1 AND cast_at < $2`, [
        ticketNo,
        opensAt,
      ]);
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        // Named by its opening: a window withdrawn and opened again is a second opening.
        id: stableUuid(`vote_opened:${ticketNo}:${new Date(opensAt).toISOString()}`),
        type: 'evaluation.vote_opened',
        ticketNo,
        actor: SYSTEM,
        occurredAt: opensAt,
        data: { unitId, closesAt },
      });
    });
  }

  /**
   * Withdraws the ticket's vote (the approval that would open it was voided), in the caller's
   * transaction: an open window closes with no result, its votes are removed, and the withdrawal
   * is an event. A window not yet opened (its workflow's first step still to run) is recorded as
   * withdrawn already, so that step opens nothing. A closed window stays as it is.
   */
  async withdrawWindow(m: EntityManager, ticketNo: string, unitId: string, at: string): Promise<void> {
    const rows = returnedRows<{ wasOpen: boolean }>(
      await m.query(
        `INSERT INTO evaluation.vote_windows (ticket_no, unit_id, opens_at, closes_at, status, withdrawn_at)
         VALUES ($1,$2,$3,$3,'withdrawn',$3)
         ON CONFLICT (ticket_no) DO UPDATE SET status = 'withdrawn', withdrawn_at = $3
           WHERE evaluation.vote_windows.status = 'open'
         RETURNING (xmax <> 0) AS "wasOpen"`,
        [ticketNo, unitId, at],
      ),
    );
    if (!rows[0]?.wasOpen) return;
    await m.query(`DELETE FROM evaluation.public_votes WHERE ticket_no = $1`, [ticketNo]);
    await appendEvaluationEvent(m, this.kafkaPrefix, {
      id: stableUuid(`vote_withdrawn:${ticketNo}:${new Date(at).toISOString()}`),
      type: 'evaluation.vote_withdrawn',
      ticketNo,
      actor: SYSTEM,
      occurredAt: at,
      data: { unitId, reason: 'record_corrected' },
    });
  }

  async recordVote(ticketNo: string, voterId: string, verdict: Verdict, isPoster: boolean, at: string) {
    await this.ds.query(
      `INSERT INTO evaluation.public_votes (ticket_no, voter_id, verdict, is_poster, cast_at)
       VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (ticket_no, voter_id) DO UPDATE SET verdict = $3, changes = evaluation.public_votes.changes + 1,
         changed_at = $5
       WHERE evaluation.public_votes.verdict <> $3`,
      [ticketNo, voterId, verdict, isPoster, at],
    );
  }

  async closeWindow(ticketNo: string, r: VoteResult): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows = returnedRows<{ unitId: string }>(
        await m.query(
          `UPDATE evaluation.vote_windows SET status = 'closed', result = $2, poster_verdict = $3,
             poster_defaulted = $4, others = $5
           WHERE ticket_no = $1 AND status = 'open' RETURNING unit_id AS "unitId"`,
          [ticketNo, r.result, r.posterVerdict, r.posterDefaulted, JSON.stringify(r.others)],
        ),
      );
      if (!rows[0]) return;
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`vote_closed:${ticketNo}`),
        type: 'evaluation.vote_closed',
        ticketNo,
        actor: SYSTEM,
        data: { unitId: rows[0].unitId, ...r },
      });
    });
  }

  async window(ticketNo: string) {
    const [w] = await this.ds.query(
      `SELECT ticket_no AS "ticketNo", unit_id AS "unitId", opens_at AS "opensAt", closes_at AS "closesAt", status,
              withdrawn_at AS "withdrawnAt",
              result, poster_verdict AS "posterVerdict", poster_defaulted AS "posterDefaulted", others
       FROM evaluation.vote_windows WHERE ticket_no = $1`,
      [ticketNo],
    );
    if (!w) return null;
    // While the window is open, a vote by an account registered as staff since does not count
    // (the workflow drops it too); once closed, the result stands as it was taken.
    const votes: { verdict: Verdict; isPoster: boolean; changes: number }[] = await this.ds.query(
      `SELECT verdict, is_poster AS "isPoster", changes FROM evaluation.public_votes v
       WHERE ticket_no = $1 AND ($2 <> 'open'
         OR NOT EXISTS (SELECT 1 FROM evaluation.forum_staff_accounts s WHERE s.account_id = v.voter_id))`,
      [ticketNo, w.status],
    );
    const tally = { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 };
    for (const v of votes) if (!v.isPoster) tally[v.verdict]++;
    const poster = votes.find((v) => v.isPoster) ?? null;
    return {
      ...w,
      poster: poster && { verdict: poster.verdict, changed: poster.changes > 0 },
      others: w.others ?? tally,
    };
  }
}
