import { createHash, randomUUID } from 'node:crypto';
import { returnedRows } from '../db/returned-rows';
import { queryPage } from './page';
import type { RowsPage } from './page';
import type { DataSource, EntityManager } from 'typeorm';
import { chooseEvaluator, termEndOf } from '@hotline/shared';
import type {
  Actor,
  EvaluatorCandidate,
  ExpertWithdrawalReason,
  NominationSource,
  Verdict,
} from '@hotline/shared';
import type { PiiCipher } from '../security/pii-cipher';
import { piiAad } from '../security/pii-cipher';
import { ticketPiiAad } from '../security/pii-rotation';
import { appendEvaluationEvent } from './evaluation-events';
import { writeAs } from './admin-actor';
import type { AdminActor } from './admin-actor';

/** A uuid derived from a name: a retried activity writes the same event id, so it is recorded once. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One lock for every assignment: two cases never both take the last free evaluator's slot on a stale count. */
const ASSIGN_LOCK = 12345_0008;

const SYSTEM: Actor = { kind: 'system' };

export interface EvaluatorRow {
  id: string;
  userId: string | null;
  name: string;
  phone: string;
  nominatedBy: string;
  source: NominationSource;
  termStart: string;
  termEnd: string;
  available: boolean;
  tiedUnitIds: string[];
  inTerm: boolean;
  openCases: number;
}

export interface NewEvaluator {
  userId: string | null;
  name: string;
  phone: string;
  nominatedBy: string;
  source: NominationSource;
  termStart: string;
  tiedUnitIds: string[];
  available?: boolean;
}

export interface ExpertCaseRow {
  ticketNo: string;
  unitId: string;
  unitName: string | null;
  status: string;
  attempt: number;
  verdict: Verdict | null;
  reason: string | null;
  requestedAt: string;
  decidedAt: string | null;
  /** The current (or, when decided, the deciding) assignment. */
  evaluatorId: string | null;
  decideBy: string | null;
}

export interface AssignmentRow {
  ticketNo: string;
  attempt: number;
  evaluatorId: string;
  assignedAt: string;
  decideBy: string;
  remindedAt: string | null;
  endedAt: string | null;
  outcome: string;
}

/** The case was withdrawn (its request voided): its workflow has nothing more to assign. */
export class ExpertCaseWithdrawnError extends Error {
  readonly code = 'expert_case_withdrawn';
  constructor(ticketNo: string) {
    super(`the expert case of ticket ${ticketNo} was withdrawn`);
  }
}

/**
 * Expert evaluation's records: the evaluator pool (name and phone encrypted), the cases, who held
 * each and how it ended, and the objections. Every change that is an event writes it in the same
 * transaction (evaluation.events + outbox).
 */
export class ExpertRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
    private readonly pii: PiiCipher,
  ) {}

  // ---- the pool ----

  async createEvaluator(e: NewEvaluator, actor?: AdminActor): Promise<string> {
    const id = randomUUID();
    await writeAs(
      this.ds,
      actor,
      `INSERT INTO evaluation.evaluators
         (id, user_id, name, phone, nominated_by, source, term_start, term_end, available, tied_unit_ids)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        id,
        e.userId,
        this.pii.encrypt(e.name, piiAad(id, 'name')),
        this.pii.encrypt(e.phone, piiAad(id, 'phone')),
        e.nominatedBy,
        e.source,
        e.termStart,
        termEndOf(e.termStart),
        e.available ?? true,
        e.tiedUnitIds,
      ],
    );
    return id;
  }

  async updateEvaluator(
    id: string,
    patch: { available?: boolean; tiedUnitIds?: string[]; termStart?: string; nominatedBy?: string },
    actor?: AdminActor,
  ): Promise<boolean> {
    const rows = returnedRows<unknown>(
      await writeAs(
        this.ds,
        actor,
        `UPDATE evaluation.evaluators SET
         available = coalesce($2, available),
         tied_unit_ids = coalesce($3, tied_unit_ids),
         term_start = coalesce($4::date, term_start),
         term_end = coalesce($5::date, term_end),
         nominated_by = coalesce($6, nominated_by),
         updated_at = now()
       WHERE id = $1 RETURNING id`,
        [
          id,
          patch.available ?? null,
          patch.tiedUnitIds ?? null,
          patch.termStart ?? null,
          patch.termStart ? termEndOf(patch.termStart) : null,
          patch.nominatedBy ?? null,
        ],
      ),
    );
    return rows.length > 0;
  }

  async setAvailabilityOfUser(
    userId: string,
    available: boolean,
    actor?: AdminActor,
  ): Promise<string | null> {
    const rows = returnedRows<{ id: string }>(
      await writeAs(
        this.ds,
        actor,
        `UPDATE evaluation.evaluators SET available = $2, updated_at = now() WHERE user_id = $1 RETURNING id`,
        [userId, available],
      ),
    );
    return rows[0]?.id ?? null;
  }

  async evaluators(): Promise<EvaluatorRow[]> {
    const rows = await this.ds.query(
      `SELECT e.id, e.user_id AS "userId", e.name, e.phone, e.nominated_by AS "nominatedBy", e.source,
              to_char(e.term_start, 'YYYY-MM-DD') AS "termStart", to_char(e.term_end, 'YYYY-MM-DD') AS "termEnd",
              e.available, e.tied_unit_ids AS "tiedUnitIds",
              (current_date >= e.term_start AND current_date < e.term_end) AS "inTerm",
              (SELECT count(*)::int FROM evaluation.expert_assignments a
                WHERE a.evaluator_id = e.id AND a.outcome = 'open') AS "openCases"
       FROM evaluation.evaluators e ORDER BY e.created_at, e.id`,
    );
    return rows.map((r: EvaluatorRow) => ({
      ...r,
      name: this.pii.decrypt(r.name, piiAad(r.id, 'name')),
      phone: this.pii.decrypt(r.phone, piiAad(r.id, 'phone')),
    }));
  }

  /** The id of an active user with the evaluator role, by username. */
  async evaluatorUserId(username: string): Promise<string | null> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM identity.users WHERE username = $1 AND role = 'evaluator' AND active`,
      [username],
    );
    return rows[0]?.id ?? null;
  }

  async evaluatorIdOfUser(userId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM evaluation.evaluators WHERE user_id = $1`,
      [userId],
    );
    return rows[0]?.id ?? null;
  }

  private async contact(m: EntityManager | DataSource, evaluatorId: string): Promise<string | null> {
    const rows: { phone: string }[] = await m.query(`SELECT phone FROM evaluation.evaluators WHERE id = $1`, [
      evaluatorId,
    ]);
    return rows[0] ? this.pii.decrypt(rows[0].phone, piiAad(evaluatorId, 'phone')) : null;
  }

  // ---- cases ----

  /**
   * Opens the case of an unsatisfied ticket (once). A withdrawn case opens again for a request made
   * after its withdrawal; its attempts count on. Returns whether it opened.
   */
  async openCase(m: EntityManager, ticketNo: string, unitId: string, requestedAt: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO evaluation.expert_cases (ticket_no, unit_id, status, requested_at)
       VALUES ($1,$2,'waiting_for_evaluator',$3)
       ON CONFLICT (ticket_no) DO UPDATE SET unit_id = $2, status = 'waiting_for_evaluator', requested_at = $3,
         withdrawn_at = NULL
         WHERE evaluation.expert_cases.status = 'withdrawn' AND evaluation.expert_cases.withdrawn_at < $3
       RETURNING ticket_no`,
      [ticketNo, unitId, requestedAt],
    );
    return rows.length > 0;
  }

  /** Attempts the case has had so far: its workflow numbers the next one after them. */
  async attemptsOf(ticketNo: string): Promise<number> {
    const rows: { attempt: number }[] = await this.ds.query(
      `SELECT attempt FROM evaluation.expert_cases WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0]?.attempt ?? 0;
  }

  /**
   * Withdraws the ticket's open case, in the caller's transaction (the request that opened it was
   * voided): the evaluator holding it no longer does, and the withdrawal is an event. A decided
   * case stays as it is. Returns whether a case was withdrawn.
   */
  async withdrawCase(m: EntityManager, ticketNo: string, at: string): Promise<boolean> {
    const cases = returnedRows<{ unitId: string }>(
      await m.query(
        `UPDATE evaluation.expert_cases SET status = 'withdrawn', withdrawn_at = $2
         WHERE ticket_no = $1 AND status IN ('waiting_for_evaluator','assigned') RETURNING unit_id AS "unitId"`,
        [ticketNo, at],
      ),
    );
    if (!cases[0]) return false;
    const held = returnedRows<{ evaluatorId: string; attempt: number }>(
      await m.query(
        `UPDATE evaluation.expert_assignments SET outcome = 'case_withdrawn', ended_at = now()
         WHERE ticket_no = $1 AND outcome = 'open' RETURNING evaluator_id AS "evaluatorId", attempt`,
        [ticketNo],
      ),
    );
    await appendEvaluationEvent(m, this.kafkaPrefix, {
      id: stableUuid(`expert_case_withdrawn:${ticketNo}:${new Date(at).toISOString()}`),
      type: 'evaluation.expert_case_withdrawn',
      ticketNo,
      actor: SYSTEM,
      occurredAt: at,
      data: {
        caseId: ticketNo,
        unitId: cases[0].unitId,
        evaluatorId: held[0]?.evaluatorId ?? null,
        reason: 'record_corrected',
      },
    });
    return true;
  }

  /**
   * Who held the case's attempt when the case was withdrawn (their phone, to tell them); null when
   * that attempt did not end by the case's withdrawal (answered, timed out, or never made).
   */
  async heldWhenWithdrawn(ticketNo: string, attempt: number): Promise<{ phone: string | null } | null> {
    const rows: { evaluatorId: string }[] = await this.ds.query(
      `SELECT evaluator_id AS "evaluatorId" FROM evaluation.expert_assignments
       WHERE ticket_no = $1 AND attempt = $2 AND outcome = 'case_withdrawn'`,
      [ticketNo, attempt],
    );
    if (!rows[0]) return null;
    return { phone: await this.contact(this.ds, rows[0].evaluatorId) };
  }

  /**
   * Cases with no assignment since they were (re)opened, older than `seconds`: their workflow may
   * not have started (a crash).
   */
  async unstartedCases(seconds: number): Promise<{ ticketNo: string; unitId: string }[]> {
    return this.ds.query(
      `SELECT c.ticket_no AS "ticketNo", c.unit_id AS "unitId" FROM evaluation.expert_cases c
       WHERE c.status = 'waiting_for_evaluator' AND c.requested_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM evaluation.expert_assignments a
                         WHERE a.ticket_no = c.ticket_no AND a.assigned_at >= c.requested_at)
       ORDER BY c.requested_at LIMIT 100`,
      [seconds],
    );
  }

  /**
   * Assigns the case's attempt to the next eligible evaluator (the rule: chooseEvaluator), records
   * `evaluation.expert_assigned`, and returns the holder with the phone to notify; null when nobody
   * is eligible. A retried call for the same attempt returns the assignment made the first time.
   */
  async assign(input: {
    ticketNo: string;
    unitId: string;
    attempt: number;
    tried: string[];
    assignedAt: string;
    decideBy: string;
  }): Promise<{ evaluatorId: string; userId: string; phone: string | null; fresh: boolean } | null> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [ASSIGN_LOCK]);
      const [c]: { status: string }[] = await m.query(
        `SELECT status FROM evaluation.expert_cases WHERE ticket_no = $1 FOR UPDATE`,
        [input.ticketNo],
      );
      if (c?.status === 'withdrawn') throw new ExpertCaseWithdrawnError(input.ticketNo);
      const done: { evaluatorId: string; userId: string }[] = await m.query(
        `SELECT a.evaluator_id AS "evaluatorId", e.user_id AS "userId" FROM evaluation.expert_assignments a
         JOIN evaluation.evaluators e ON e.id = a.evaluator_id WHERE a.ticket_no = $1 AND a.attempt = $2`,
        [input.ticketNo, input.attempt],
      );
      if (done[0]) return { ...done[0], phone: await this.contact(m, done[0].evaluatorId), fresh: false };
      const candidates: (EvaluatorCandidate & { userId: string })[] = await m.query(
        `SELECT e.id AS "evaluatorId", e.user_id AS "userId", e.available,
                to_char(e.term_start, 'YYYY-MM-DD') AS "termStart", to_char(e.term_end, 'YYYY-MM-DD') AS "termEnd",
                e.tied_unit_ids AS "tiedUnitIds",
                (SELECT count(*)::int FROM evaluation.expert_assignments a
                  WHERE a.evaluator_id = e.id AND a.outcome = 'open') AS "openCases",
                (SELECT to_char(max(a.assigned_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                   FROM evaluation.expert_assignments a WHERE a.evaluator_id = e.id) AS "lastAssignedAt"
         FROM evaluation.evaluators e
         -- Only an evaluator who can log in: a deactivated account would hold the case unseen.
         JOIN identity.users u ON u.id = e.user_id AND u.active
         WHERE e.available`,
      );
      const chosen = chooseEvaluator(candidates, {
        unitId: input.unitId,
        tried: input.tried,
        now: Date.parse(input.assignedAt),
      }) as (EvaluatorCandidate & { userId: string }) | null;
      if (!chosen) {
        await m.query(
          `UPDATE evaluation.expert_cases SET status = 'waiting_for_evaluator' WHERE ticket_no = $1`,
          [input.ticketNo],
        );
        return null;
      }
      await m.query(
        `INSERT INTO evaluation.expert_assignments (ticket_no, attempt, evaluator_id, assigned_at, decide_by)
         VALUES ($1,$2,$3,$4,$5)`,
        [input.ticketNo, input.attempt, chosen.evaluatorId, input.assignedAt, input.decideBy],
      );
      await m.query(
        `UPDATE evaluation.expert_cases SET status = 'assigned', attempt = $2 WHERE ticket_no = $1`,
        [input.ticketNo, input.attempt],
      );
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`expert_assigned:${input.ticketNo}:${input.attempt}`),
        type: 'evaluation.expert_assigned',
        ticketNo: input.ticketNo,
        actor: SYSTEM,
        occurredAt: input.assignedAt,
        data: {
          caseId: input.ticketNo,
          unitId: input.unitId,
          evaluatorId: chosen.evaluatorId,
          attempt: input.attempt,
          decideBy: input.decideBy,
        },
      });
      return {
        evaluatorId: chosen.evaluatorId,
        userId: chosen.userId,
        phone: await this.contact(m, chosen.evaluatorId),
        fresh: true,
      };
    });
  }

  /** Marks the reminder; returns what the SMS needs. */
  async markReminded(
    ticketNo: string,
    attempt: number,
  ): Promise<{ phone: string | null; decideBy: string } | null> {
    const rows = returnedRows<{ evaluatorId: string; decideBy: string }>(
      await this.ds.query(
        `UPDATE evaluation.expert_assignments SET reminded_at = coalesce(reminded_at, now())
         WHERE ticket_no = $1 AND attempt = $2 AND outcome = 'open'
         RETURNING evaluator_id AS "evaluatorId", decide_by AS "decideBy"`,
        [ticketNo, attempt],
      ),
    );
    if (!rows[0]) return null;
    return {
      phone: await this.contact(this.ds, rows[0].evaluatorId),
      decideBy: new Date(rows[0].decideBy).toISOString(),
    };
  }

  /** The holder no longer holds the case (timed out, returned as unsuited). Returns their phone. */
  async withdraw(input: {
    ticketNo: string;
    attempt: number;
    reason: ExpertWithdrawalReason;
    note: string;
  }): Promise<{ phone: string | null } | null> {
    return this.ds.transaction(async (m) => {
      const rows = returnedRows<{ evaluatorId: string; unitId: string }>(
        await m.query(
          `UPDATE evaluation.expert_assignments a SET outcome = $3, ended_at = now(), note = $4
         FROM evaluation.expert_cases c
         WHERE a.ticket_no = $1 AND a.attempt = $2 AND c.ticket_no = a.ticket_no AND a.outcome = 'open'
         RETURNING a.evaluator_id AS "evaluatorId", c.unit_id AS "unitId"`,
          [input.ticketNo, input.attempt, input.reason, input.note || null],
        ),
      );
      if (!rows[0]) return null; // recorded before (a retried activity)
      await m.query(
        `UPDATE evaluation.expert_cases SET status = 'waiting_for_evaluator' WHERE ticket_no = $1`,
        [input.ticketNo],
      );
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`expert_withdrawn:${input.ticketNo}:${input.attempt}`),
        type: 'evaluation.expert_withdrawn',
        ticketNo: input.ticketNo,
        actor: input.reason === 'returned_unsuited' ? { kind: 'user', role: 'evaluator' } : SYSTEM,
        data: {
          caseId: input.ticketNo,
          unitId: rows[0].unitId,
          evaluatorId: rows[0].evaluatorId,
          reason: input.reason,
        },
      });
      return { phone: await this.contact(m, rows[0].evaluatorId) };
    });
  }

  /** The final verdict. The evaluator's identity stays out of the actor: only the opaque evaluator id is kept. */
  async recordVerdict(input: {
    ticketNo: string;
    attempt: number;
    verdict: Verdict;
    reason: string;
  }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows = returnedRows<{ evaluatorId: string; unitId: string }>(
        await m.query(
          `UPDATE evaluation.expert_assignments a SET outcome = 'decided', ended_at = now()
         FROM evaluation.expert_cases c
         WHERE a.ticket_no = $1 AND a.attempt = $2 AND c.ticket_no = a.ticket_no AND a.outcome = 'open'
         RETURNING a.evaluator_id AS "evaluatorId", c.unit_id AS "unitId"`,
          [input.ticketNo, input.attempt],
        ),
      );
      if (!rows[0]) return; // recorded before
      await m.query(
        `UPDATE evaluation.expert_cases SET status = 'decided', verdict = $2, reason = $3, decided_at = now()
         WHERE ticket_no = $1`,
        [input.ticketNo, input.verdict, input.reason],
      );
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id: stableUuid(`expert_verdict_recorded:${input.ticketNo}`),
        type: 'evaluation.expert_verdict_recorded',
        ticketNo: input.ticketNo,
        actor: { kind: 'user', role: 'evaluator' },
        data: {
          caseId: input.ticketNo,
          unitId: rows[0].unitId,
          verdict: input.verdict,
          reason: input.reason,
        },
      });
    });
  }

  // ---- reading ----

  private readonly caseColumns = `
    c.ticket_no AS "ticketNo", c.unit_id AS "unitId", u.name AS "unitName", c.status, c.attempt, c.verdict,
    c.reason, c.requested_at AS "requestedAt", c.decided_at AS "decidedAt",
    a.evaluator_id AS "evaluatorId", a.decide_by AS "decideBy"`;

  async cases(filter: { status?: string; limit: number; offset: number }): Promise<RowsPage<ExpertCaseRow>> {
    return queryPage<ExpertCaseRow>(
      this.ds,
      {
        select: this.caseColumns,
        from: `FROM evaluation.expert_cases c
          LEFT JOIN catalog.units u ON u.id = c.unit_id
          LEFT JOIN evaluation.expert_assignments a ON a.ticket_no = c.ticket_no AND a.attempt = c.attempt
          WHERE ($1::text IS NULL OR c.status = $1)`,
        orderBy: 'c.requested_at DESC, c.ticket_no',
      },
      [filter.status ?? null],
      filter,
    );
  }

  async case(ticketNo: string): Promise<ExpertCaseRow | null> {
    const rows = await this.ds.query(
      `SELECT ${this.caseColumns}
       FROM evaluation.expert_cases c
       LEFT JOIN catalog.units u ON u.id = c.unit_id
       LEFT JOIN evaluation.expert_assignments a ON a.ticket_no = c.ticket_no AND a.attempt = c.attempt
       WHERE c.ticket_no = $1`,
      [ticketNo],
    );
    return rows[0] ?? null;
  }

  /**
   * The cases this evaluator holds now (an open assignment) on a ticket of one of these units, with
   * the evaluator's login: those it must recuse itself from once tied to the unit.
   */
  async heldCasesTiedTo(
    evaluatorId: string,
    unitIds: readonly string[],
  ): Promise<{ ticketNo: string; attempt: number; userId: string }[]> {
    if (unitIds.length === 0) return [];
    return this.ds.query(
      `SELECT a.ticket_no AS "ticketNo", a.attempt, e.user_id AS "userId"
       FROM evaluation.expert_assignments a
       JOIN evaluation.expert_cases c ON c.ticket_no = a.ticket_no AND c.attempt = a.attempt
       JOIN evaluation.evaluators e ON e.id = a.evaluator_id
       WHERE a.evaluator_id = $1 AND a.outcome = 'open' AND c.unit_id = ANY($2::text[])
         AND e.user_id IS NOT NULL`,
      [evaluatorId, unitIds],
    );
  }

  /**
   * The complainant's name and phone in the clear, for masking them in the text an evaluator reads
   * (they never leave the service: no reveal, so no access-log row); null where there is none.
   */
  async complainantToMask(ticketNo: string): Promise<{ name: string | null; phone: string | null }> {
    const rows: { name: string | null; phone: string | null }[] = await this.ds.query(
      `SELECT complainant_name AS name, complainant_phone AS phone FROM ticket.tickets WHERE ticket_no = $1`,
      [ticketNo],
    );
    return {
      name: this.pii.open(rows[0]?.name ?? null, ticketPiiAad(ticketNo, 'complainant_name')),
      phone: this.pii.open(rows[0]?.phone ?? null, ticketPiiAad(ticketNo, 'complainant_phone')),
    };
  }

  /** The open cases held by evaluators whose account is deactivated: nobody can log in to decide them. */
  async casesHeldByInactiveUsers(): Promise<
    { ticketNo: string; attempt: number; userId: string; evaluatorId: string }[]
  > {
    return this.ds.query(
      `SELECT a.ticket_no AS "ticketNo", a.attempt, e.user_id AS "userId", e.id AS "evaluatorId"
       FROM evaluation.expert_assignments a
       JOIN evaluation.evaluators e ON e.id = a.evaluator_id
       JOIN identity.users u ON u.id = e.user_id AND NOT u.active
       WHERE a.outcome = 'open'
       ORDER BY a.assigned_at
       LIMIT 500`,
    );
  }

  /** Whether the evaluator logged in as this user is tied to the unit (must never evaluate it). */
  async userTiedTo(userId: string, unitId: string): Promise<boolean> {
    const rows = await this.ds.query(
      `SELECT 1 FROM evaluation.evaluators WHERE user_id = $1 AND $2 = ANY(tied_unit_ids)`,
      [userId, unitId],
    );
    return rows.length > 0;
  }

  /** The assignments one evaluator held: their own cases only. */
  async assignmentsOf(
    evaluatorId: string,
    ticketNo?: string,
  ): Promise<(AssignmentRow & { unitName: string | null; caseStatus: string; verdict: Verdict | null })[]> {
    return this.ds.query(
      `SELECT a.ticket_no AS "ticketNo", a.attempt, a.evaluator_id AS "evaluatorId", a.assigned_at AS "assignedAt",
              a.decide_by AS "decideBy", a.reminded_at AS "remindedAt", a.ended_at AS "endedAt", a.outcome,
              u.name AS "unitName", c.status AS "caseStatus",
              CASE WHEN a.outcome = 'decided' THEN c.verdict END AS verdict
       FROM evaluation.expert_assignments a
       JOIN evaluation.expert_cases c ON c.ticket_no = a.ticket_no
       LEFT JOIN catalog.units u ON u.id = c.unit_id
       WHERE a.evaluator_id = $1 AND ($2::text IS NULL OR a.ticket_no = $2)
       ORDER BY a.assigned_at DESC`,
      [evaluatorId, ticketNo ?? null],
    );
  }

  async assignments(ticketNo: string): Promise<AssignmentRow[]> {
    return this.ds.query(
      `SELECT ticket_no AS "ticketNo", attempt, evaluator_id AS "evaluatorId", assigned_at AS "assignedAt",
              decide_by AS "decideBy", reminded_at AS "remindedAt", ended_at AS "endedAt", outcome
       FROM evaluation.expert_assignments WHERE ticket_no = $1 ORDER BY attempt`,
      [ticketNo],
    );
  }

  // ---- objections ----

  async recordObjection(input: {
    ticketNo: string;
    objection: string;
    answer: string;
    by: Actor & { userId: string };
    /** Derived from the request's Idempotency-Key: a repeat with it records nothing more. */
    id?: string;
  }): Promise<{ id: string; created: boolean } | null> {
    return this.ds.transaction(async (m) => {
      const c: { unitId: string }[] = await m.query(
        `SELECT unit_id AS "unitId" FROM evaluation.expert_cases WHERE ticket_no = $1 AND status = 'decided'`,
        [input.ticketNo],
      );
      if (!c[0]) return null;
      const id = input.id ?? randomUUID();
      const inserted: unknown[] = await m.query(
        `INSERT INTO evaluation.expert_objections (id, ticket_no, objection, answer, recorded_by) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, input.ticketNo, input.objection, input.answer, input.by.userId],
      );
      if (inserted.length === 0) return { id, created: false };
      await appendEvaluationEvent(m, this.kafkaPrefix, {
        id,
        type: 'evaluation.objection_recorded',
        ticketNo: input.ticketNo,
        actor: input.by,
        data: {
          caseId: input.ticketNo,
          unitId: c[0].unitId,
          objection: input.objection,
          answer: input.answer,
        },
      });
      return { id, created: true };
    });
  }

  async objections(
    ticketNo: string,
  ): Promise<{ id: string; objection: string; answer: string; recordedBy: string; recordedAt: string }[]> {
    return this.ds.query(
      `SELECT id, objection, answer, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
       FROM evaluation.expert_objections WHERE ticket_no = $1 ORDER BY recorded_at`,
      [ticketNo],
    );
  }
}
