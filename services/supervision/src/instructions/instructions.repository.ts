import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { appendSupervisionEvent, CONFIG, queryPage } from '@hotline/platform';
import type { RowsPage } from '@hotline/platform';
import type { Actor, LeaderLevel, PlatformConfig } from '@hotline/shared';

export interface InstructionRow {
  id: string;
  ticketNo: string | null;
  orderId: string | null;
  taskId: string | null;
  unitId: string;
  leaderName: string;
  leaderLevel: LeaderLevel;
  content: string;
  issuedAt: string;
  recordedBy: string;
  recordedAt: string;
  raisedOrderId: string | null;
  completed: boolean;
}

/**
 * What an instruction's (`i`) completion reads: its ticket (`f`), the order it is on (`o`), its key
 * task (`k`) and the order it raised (`ro`).
 */
export const INSTRUCTION_JOINS = `LEFT JOIN supervision.ticket_facts f ON f.ticket_no = i.ticket_no
  LEFT JOIN supervision.orders o ON o.id = i.order_id LEFT JOIN supervision.key_tasks k ON k.id = i.task_id
  LEFT JOIN supervision.orders ro ON ro.id = i.raised_order_id`;
/**
 * An instruction is completed as it says: its ticket closed, its order closed, its key task closed
 * off. One given on a ticket already closed is completed when the post-closure order it raised is.
 */
export const INSTRUCTION_COMPLETED = `(coalesce(CASE WHEN ro.stage = 'post_closure' THEN ro.status = 'closed'
    ELSE f.status = 'closed' END, false)
  OR coalesce(o.status = 'closed', false) OR coalesce(k.status = 'closed_off', false))`;

const COLUMNS = `i.id, i.ticket_no AS "ticketNo", i.order_id AS "orderId", i.task_id AS "taskId", i.unit_id AS "unitId",
  i.leader_name AS "leaderName", i.leader_level AS "leaderLevel", i.content, i.issued_at AS "issuedAt",
  i.recorded_by AS "recordedBy", i.recorded_at AS "recordedAt", i.raised_order_id AS "raisedOrderId",
  ${INSTRUCTION_COMPLETED} AS completed`;
const FROM = `supervision.instructions i ${INSTRUCTION_JOINS}`;

/** Leader instructions (领导批示) and the automatic trace of who viewed each and when (GS). */
@Injectable()
export class InstructionsRepository {
  constructor(
    private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: PlatformConfig,
  ) {}

  async record(
    m: EntityManager,
    i: Omit<InstructionRow, 'completed' | 'recordedAt' | 'recordedBy'> & { by: Actor & { userId: string } },
  ): Promise<void> {
    // Recorded once: a repeat under the same key (at once) finds it recorded, and records no event.
    const inserted: unknown[] = await m.query(
      `INSERT INTO supervision.instructions (id, ticket_no, order_id, unit_id, leader_name, leader_level, content,
         issued_at, recorded_by, recorded_at, raised_order_id, task_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,now(),$10,$11) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        i.id,
        i.ticketNo,
        i.orderId,
        i.unitId,
        i.leaderName,
        i.leaderLevel,
        i.content,
        i.issuedAt,
        i.by.userId,
        i.raisedOrderId,
        i.taskId,
      ],
    );
    if (inserted.length === 0) return;
    await appendSupervisionEvent(m, this.config.kafkaPrefix, {
      type: 'supervision.instruction_recorded',
      subjectId: i.raisedOrderId ?? i.orderId ?? i.taskId ?? i.id,
      actor: i.by,
      data: {
        instructionId: i.id,
        unitId: i.unitId,
        ticketNo: i.ticketNo,
        orderId: i.orderId,
        taskId: i.taskId,
        leaderLevel: i.leaderLevel,
      },
    });
  }

  /**
   * The instructions on the ticket addressed to a unit other than its lead `unitId` (it went to
   * another unit), locked: what moves to the lead.
   */
  async leftWithFormerLead(
    m: EntityManager,
    ticketNo: string,
    unitId: string,
  ): Promise<{ id: string; unitId: string; leaderName: string; content: string }[]> {
    return m.query(
      `SELECT id, unit_id AS "unitId", leader_name AS "leaderName", content FROM supervision.instructions
       WHERE ticket_no = $1 AND unit_id <> $2 ORDER BY issued_at, id FOR UPDATE`,
      [ticketNo, unitId],
    );
  }

  /** The instruction goes to the ticket's new lead, with the order raised on it; on the record. */
  async transferred(
    m: EntityManager,
    t: { id: string; ticketNo: string; fromUnitId: string; unitId: string; orderId: string },
  ): Promise<void> {
    await m.query(`UPDATE supervision.instructions SET unit_id = $2, raised_order_id = $3 WHERE id = $1`, [
      t.id,
      t.unitId,
      t.orderId,
    ]);
    await appendSupervisionEvent(m, this.config.kafkaPrefix, {
      type: 'supervision.instruction_transferred',
      subjectId: t.orderId,
      actor: { kind: 'system' },
      data: {
        instructionId: t.id,
        ticketNo: t.ticketNo,
        fromUnitId: t.fromUnitId,
        unitId: t.unitId,
        orderId: t.orderId,
      },
    });
  }

  transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(run);
  }

  async find(id: string): Promise<InstructionRow | null> {
    const rows: InstructionRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async list(f: {
    unitId?: string;
    ticketNo?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<InstructionRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.unitId) where.push(`i.unit_id = $${params.push(f.unitId)}`);
    if (f.ticketNo) where.push(`i.ticket_no = $${params.push(f.ticketNo)}`);
    return queryPage<InstructionRow>(
      this.ds,
      {
        select: COLUMNS,
        from: `FROM ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        orderBy: 'i.issued_at DESC, i.id',
      },
      params,
      f,
    );
  }

  async viewed(id: string, userId: string, role: string): Promise<void> {
    await this.viewedAll([id], userId, role);
  }

  /** The instructions a list showed, each read by this user now (a list shows their words too). */
  async viewedAll(ids: readonly string[], userId: string, role: string): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query(
      `INSERT INTO supervision.instruction_views (instruction_id, user_id, role)
       SELECT id, $2, $3 FROM unnest($1::uuid[]) AS id`,
      [ids, userId, role],
    );
  }

  async views(id: string): Promise<{ userId: string; role: string; viewedAt: string }[]> {
    return this.ds.query(
      `SELECT user_id AS "userId", role, viewed_at AS "viewedAt" FROM supervision.instruction_views
       WHERE instruction_id = $1 ORDER BY viewed_at, user_id`,
      [id],
    );
  }
}
