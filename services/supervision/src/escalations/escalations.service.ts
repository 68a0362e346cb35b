import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  actorOf,
  appendSupervisionEvent,
  CONFIG,
  pageOf,
  ProblemException,
  queryPage,
  stableUuid,
  SupervisionOrderRepository,
} from '@hotline/platform';
import {
  ESCALATION_GROUND_LABELS,
  ESCALATION_LOOKBACK_DAYS,
  ESCALATION_MEASURE_LABELS,
  escalationGrounds,
  refuseEscalation,
} from '@hotline/shared';
import type { EscalationMeasure, PlatformConfig, Principal } from '@hotline/shared';
import { TicketFactsRepository } from '../ticket-facts.repository';

/**
 * The escalation chain (SQ art. 21): interview, circular, special report, referral to the conduct
 * and discipline bodies. The rule (libs/shared/src/supervision/escalation.ts) says when a measure
 * is open against a unit, from its orders of the last 90 days; each decision is recorded with its
 * grounds and documents, and is an event.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly orders: SupervisionOrderRepository,
    private readonly facts: TicketFactsRepository,
  ) {}

  async grounds(unitId: string) {
    if (!(await this.facts.unitExists(unitId))) throw new ProblemException('not_found', `no unit ${unitId}`);
    const now = Date.now();
    const since = new Date(now - ESCALATION_LOOKBACK_DAYS * 86_400_000).toISOString();
    const record = (await this.orders.unitRecord(unitId, since)).map((o) => ({
      ...o,
      raisedAt: Date.parse(o.raisedAt),
    }));
    const escalated = (await this.facts.escalatedCoordinations(unitId, since)).map((c) => ({
      decidedAt: new Date(c.decidedAt).getTime(),
    }));
    const grounds = escalationGrounds(record, now, escalated);
    const earlier = await this.measures(unitId);
    return {
      unitId,
      lookbackDays: ESCALATION_LOOKBACK_DAYS,
      grounds: grounds.map((g) => ({ code: g, label: ESCALATION_GROUND_LABELS[g] })),
      open: (Object.keys(ESCALATION_MEASURE_LABELS) as EscalationMeasure[]).filter(
        (m) => refuseEscalation(m, grounds, earlier) === null,
      ),
      orders: {
        total: record.length,
        wentOverdue: record.filter((o) => o.wentOverdue).length,
        sentBack: record.filter((o) => o.sentBack).length,
      },
      escalatedCoordinations: escalated.length,
    };
  }

  private async measures(unitId: string): Promise<EscalationMeasure[]> {
    const rows: { measure: EscalationMeasure }[] = await this.ds.query(
      `SELECT measure FROM supervision.escalations WHERE unit_id = $1`,
      [unitId],
    );
    return rows.map((r) => r.measure);
  }

  async decide(
    who: Principal,
    cmd: {
      unitId: string;
      measure: EscalationMeasure;
      reason: string;
      documents: { title: string; content: string }[];
    },
    key: string | null = null,
  ) {
    // A repeat under the caller's key is the decision the first recorded (whatever changed since).
    const id = key ? stableUuid(`escalation:${who.userId}:${key}`) : randomUUID();
    if (key && (await this.exists(id))) return this.one(id);
    if (!(await this.facts.unitExists(cmd.unitId)))
      throw new ProblemException('unknown_unit', `no unit ${cmd.unitId}`);
    const g = await this.grounds(cmd.unitId);
    const refusal = refuseEscalation(
      cmd.measure,
      g.grounds.map((x) => x.code),
      await this.measures(cmd.unitId),
    );
    if (refusal) throw new ProblemException(refusal.code, refusal.message);
    const by = actorOf(who);
    await this.ds.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO supervision.escalations (id, unit_id, measure, grounds, reason, documents, decided_by, decided_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,now()) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          id,
          cmd.unitId,
          cmd.measure,
          JSON.stringify(g.grounds.map((x) => x.code)),
          cmd.reason.trim(),
          JSON.stringify(cmd.documents),
          who.userId,
        ],
      );
      // The same key at once: recorded by the other request, and its event with it.
      if (inserted.length === 0) return;
      await appendSupervisionEvent(m, this.config.kafkaPrefix, {
        type: 'supervision.escalation_decided',
        subjectId: cmd.unitId,
        actor: by,
        data: {
          escalationId: id,
          unitId: cmd.unitId,
          measure: cmd.measure,
          grounds: g.grounds.map((x) => x.code),
          reason: cmd.reason.trim(),
        },
      });
    });
    return this.one(id);
  }

  private async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM supervision.escalations WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Escalation decisions, newest first; one unit's when `unitId` is given. */
  async list(q: { unitId?: string; limit: number; offset: number }) {
    const rows = await queryPage<Record<string, unknown>>(
      this.ds,
      {
        select: ESCALATION_COLUMNS,
        from: `FROM supervision.escalations ${q.unitId ? 'WHERE unit_id = $1' : ''}`,
        orderBy: 'decided_at DESC, id',
      },
      q.unitId ? [q.unitId] : [],
      q,
    );
    return pageOf({ items: rows.items.map(labelled), total: rows.total }, q);
  }

  /** The decision just recorded (in the transaction that committed before this read). */
  private async one(id: string) {
    const [row] = await this.ds.query(
      `SELECT ${ESCALATION_COLUMNS} FROM supervision.escalations WHERE id = $1`,
      [id],
    );
    if (!row) throw new ProblemException('not_found', `no escalation ${id}`);
    return labelled(row);
  }
}

const ESCALATION_COLUMNS = `id, unit_id AS "unitId", measure, grounds, reason, documents,
  decided_by AS "decidedBy", decided_at AS "decidedAt"`;

const labelled = (e: Record<string, unknown>) => ({
  ...e,
  measureLabel: ESCALATION_MEASURE_LABELS[e.measure as EscalationMeasure],
});
