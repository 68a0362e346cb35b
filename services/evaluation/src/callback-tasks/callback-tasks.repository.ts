import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { encodeQueueCursor, returnedRows } from '@hotline/platform';
import type { QueueCursor } from '@hotline/platform';
import { CLAIM_TTL_MS } from '@hotline/shared';
import type { CallbackAttemptOutcome, FailedAttempt } from '@hotline/shared';

export interface CallbackTaskRow {
  id: string;
  ticketNo: string;
  round: number;
  title: string;
  category: string;
  unitId: string | null;
  unitName: string | null;
  dueAt: string;
  smsAnswered: boolean;
  smsVerdict: string | null;
  status: 'open' | 'done';
  claimedBy: string | null;
  claimedAt: string | null;
  openedAt: string;
  closedAt: string | null;
  closedAs: string | null;
  attempts: number;
  lastAttempt: string | null;
}

/** The manual-callback queue's records (evaluation.callback_tasks, written by the ledger; attempts). */
@Injectable()
export class CallbackTasksRepository {
  constructor(private readonly ds: DataSource) {}

  private readonly columns = `
    t.id, t.ticket_no AS "ticketNo", t.round, k.title, k.category, t.unit_id AS "unitId", u.name AS "unitName",
    t.due_at AS "dueAt", t.sms_answered AS "smsAnswered", t.sms_verdict AS "smsVerdict", t.status,
    t.claimed_by AS "claimedBy", t.claimed_at AS "claimedAt", t.opened_at AS "openedAt",
    t.closed_at AS "closedAt", t.closed_as AS "closedAs",
    (SELECT count(*)::int FROM evaluation.callback_attempts a WHERE a.task_id = t.id) AS attempts,
    (SELECT a.outcome FROM evaluation.callback_attempts a WHERE a.task_id = t.id
      ORDER BY a.called_at DESC LIMIT 1) AS "lastAttempt"`;
  private readonly from = `
    FROM evaluation.callback_tasks t
    JOIN ticket.tickets k ON k.ticket_no = t.ticket_no
    LEFT JOIN catalog.units u ON u.id = t.unit_id`;

  /**
   * A page of the queue by due time (open: soonest first; done: latest first), then id. With
   * `after` (a page's `nextCursor`), the tasks after that one in the same order, so that tasks taken
   * off the queue between pages push none past the page, as they do with an offset.
   */
  async list(f: {
    status: 'open' | 'done';
    claimedBy?: string;
    limit: number;
    offset: number;
    after?: QueueCursor;
  }): Promise<{ items: CallbackTaskRow[]; total: number; nextCursor: string | null }> {
    const where = `WHERE t.status = $1 AND ($2::text IS NULL OR
      (t.claimed_by = $2 AND t.claimed_at > now() - make_interval(secs => $3)))`;
    const params: unknown[] = [f.status, f.claimedBy ?? null, CLAIM_TTL_MS / 1000];
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total ${this.from} ${where}`, params);
    const direction = f.status === 'open' ? 'ASC' : 'DESC';
    let after = '';
    if (f.after) {
      const due = `$${params.push(f.after.due)}::timestamptz`;
      const id = `$${params.push(f.after.id)}::uuid`;
      after = ` AND (t.due_at, t.id) ${f.status === 'open' ? '>' : '<'} (${due}, ${id})`;
    }
    const rows: (CallbackTaskRow & { cursorDue: string })[] = await this.ds.query(
      `SELECT ${this.columns},
         to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorDue"
       ${this.from} ${where}${after}
       ORDER BY t.due_at ${direction}, t.id ${direction}
       LIMIT $${params.push(f.limit + 1)} OFFSET $${params.push(f.after ? 0 : f.offset)}`,
      params,
    );
    // One row more than the page, to know whether another page follows.
    const more = rows.length > f.limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    return {
      items: rows.map(({ cursorDue: _due, ...r }) => r),
      total,
      nextCursor:
        more && last ? encodeQueueCursor({ status: f.status, due: last.cursorDue, id: last.id }) : null,
    };
  }

  /** The ticket's open callback task, if any (one at a time: a round's task closes before the next opens). */
  async openForTicket(ticketNo: string): Promise<CallbackTaskRow | null> {
    const rows = await this.ds.query(
      `SELECT ${this.columns} ${this.from} WHERE t.ticket_no = $1 AND t.status = 'open'
       ORDER BY t.opened_at DESC LIMIT 1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  async get(id: string): Promise<CallbackTaskRow | null> {
    const rows = await this.ds.query(`SELECT ${this.columns} ${this.from} WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Takes the task for `userId` if it is open and free (or already theirs, or its claim lapsed). */
  async claim(id: string, userId: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.ds.query(
        `UPDATE evaluation.callback_tasks SET claimed_by = $2, claimed_at = now()
         WHERE id = $1 AND status = 'open'
           AND (claimed_by IS NULL OR claimed_by = $2 OR claimed_at <= now() - make_interval(secs => $3))
         RETURNING id`,
        [id, userId, CLAIM_TTL_MS / 1000],
      ),
    );
    return rows.length > 0;
  }

  async release(id: string, userId: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.ds.query(
        `UPDATE evaluation.callback_tasks SET claimed_by = NULL, claimed_at = NULL
         WHERE id = $1 AND claimed_by = $2 RETURNING id`,
        [id, userId],
      ),
    );
    return rows.length > 0;
  }

  /** A failed call; with an `id` derived from the request's Idempotency-Key, a repeat adds nothing. */
  async addAttempt(taskId: string, outcome: CallbackAttemptOutcome, note: string, by: string, id?: string) {
    const attemptId = id ?? randomUUID();
    await this.ds.query(
      `INSERT INTO evaluation.callback_attempts (id, task_id, outcome, note, called_by) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (id) DO NOTHING`,
      [attemptId, taskId, outcome, note, by],
    );
    return attemptId;
  }

  async attempts(
    taskId: string,
  ): Promise<(FailedAttempt & { id: string; note: string; calledBy: string })[]> {
    const rows: { id: string; outcome: CallbackAttemptOutcome; note: string; calledBy: string; at: Date }[] =
      await this.ds.query(
        `SELECT id, outcome, note, called_by AS "calledBy", called_at AS at
         FROM evaluation.callback_attempts WHERE task_id = $1 ORDER BY called_at, id`,
        [taskId],
      );
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
