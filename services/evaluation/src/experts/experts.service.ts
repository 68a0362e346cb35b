import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import {
  actorOf,
  cancelWithdrawn,
  CONFIG,
  executeWorkflowUpdate,
  ExpertRepository,
  isUuid,
  pageOf,
  PolicyRepository,
  ProblemException,
  stableUuid,
  startWorkflowOnce,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
  CatalogRepository,
} from '@hotline/platform';
import type { AfterCommit, NewEvaluator } from '@hotline/platform';
import type { AnyTicketEvent, ExpertCaseStatus, PlatformConfig, Principal, Verdict } from '@hotline/shared';
import { maskKnownNumbersIn, maskNamesIn, maskPersonalNumbers } from '@hotline/shared';

/** The workflow's names, as the worker registers them (workflows/src/evaluation). */
const WORKFLOW_TYPE = 'ExpertEvaluationWorkflow';
const workflowId = (ticketNo: string) => `expert-evaluation-${ticketNo}`;

export interface ExpertActionResult {
  ticketNo: string;
  status: string;
}

/**
 * Expert evaluation (专业评价): opens a case when a ticket closes unsatisfied and starts its
 * workflow; carries the evaluator's verdict or return to the workflow as updates (so the caller
 * learns at once whether it was accepted); records the units' objections through the centre.
 * What evaluators and the centre may see is decided here: an evaluator only their own cases, the
 * evaluator's identity only for administrators, never the complainant's personal data.
 */
/** What the record says of a case given back because its evaluator became tied to the unit. */
export const RECUSAL_REASON = '评价员与被评价单位存在利害关系，依规回避';

/** What the record says of a case handed on because its evaluator's account was deactivated. */
export const DEACTIVATED_REASON = '评价员账号已停用，案件转交其他评价员';

@Injectable()
export class ExpertsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExpertsService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly experts: ExpertRepository,
    private readonly ledger: TicketLedgerRepository,
    private readonly policies: PolicyRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  /** The units an evaluator is tied to must be units: a misspelt one would guard against nothing. */
  private async requireUnits(ids: readonly string[] | undefined): Promise<void> {
    for (const id of new Set(ids ?? []))
      if (!(await this.catalog.unit(id)))
        throw new ProblemException('unknown_unit', `no unit "${id}"`, { field: 'tiedUnitIds' });
  }

  onModuleInit(): void {
    // A case whose workflow did not start (the service stopped in between) is started by the sweep;
    // a case held by an evaluator whose account was deactivated is handed on by it.
    this.timer = setInterval(() => void this.sweep(), this.config.expertSweepMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Called by the projection, inside its transaction: the case row and its workflow, both once.
   * The workflow starts only after the commit, since its first activity assigns the case and needs
   * the row (started before, it could run first and fail on the missing case). Should the start
   * fail, or the service stop in between, the sweep starts it.
   */
  async open(
    m: EntityManager,
    afterCommit: AfterCommit,
    ticketNo: string,
    unitId: string,
    requestedAt: string,
  ): Promise<void> {
    if (await this.experts.openCase(m, ticketNo, unitId, requestedAt))
      afterCommit(() => this.startWorkflow(ticketNo, unitId));
  }

  private async sweep(): Promise<void> {
    try {
      for (const c of await this.experts.unstartedCases(120)) await this.startWorkflow(c.ticketNo, c.unitId);
      await this.handOnFromDeactivated();
    } catch (err) {
      this.logger.warn(`expert case sweep: ${(err as Error).message}`);
    }
  }

  /**
   * An evaluator whose account is deactivated cannot log in to decide the cases they hold: each is
   * given back in their name, as a return, and goes to the next evaluator at once rather than when
   * its time runs out. (The intake service deactivates accounts; this service sees it in the table.)
   */
  private async handOnFromDeactivated(): Promise<void> {
    for (const held of await this.experts.casesHeldByInactiveUsers())
      await executeWorkflowUpdate<ExpertActionResult, object>(
        this.temporal,
        workflowId(held.ticketNo),
        'returnExpertCase',
        { userId: held.userId, reason: DEACTIVATED_REASON },
        {
          updateId: `deactivated:${held.evaluatorId}:${held.ticketNo}:${held.attempt}`,
          gone: () => new ProblemException('expert_case_not_found', `no expert case for ${held.ticketNo}`),
        },
      ).catch((err: unknown) =>
        // Decided or handed on meanwhile: nothing left to give back; anything else, the next sweep.
        this.logger.warn(`expert case ${held.ticketNo}: not handed on yet: ${(err as Error).message}`),
      );
  }

  private async startWorkflow(ticketNo: string, unitId: string): Promise<void> {
    const ticket = await this.ledger.findCore(ticketNo);
    if (!ticket?.policy) throw new Error(`ticket ${ticketNo} has no policy: its expert case cannot start`);
    const { limits, calendarId } = ticket.policy;
    const attemptsBefore = await this.experts.attemptsOf(ticketNo);
    await startWorkflowOnce(
      this.temporal,
      WORKFLOW_TYPE,
      {
        workflowId: workflowId(ticketNo),
        taskQueue: this.config.temporalTaskQueue,
        args: [
          {
            ticketNo,
            unitId,
            limits: {
              evaluatorDecision: limits.evaluatorDecision,
              evaluatorReminderAfter: limits.evaluatorReminderAfter,
            },
            calendar: await this.policies.calendarSnapshot(calendarId, new Date()),
            ...(attemptsBefore > 0 ? { attemptsBefore } : {}),
          },
        ],
        staticSummary: `专业评价 工单 ${ticketNo}`,
      },
      // Only an open case without an assignment since it opened gets here (the record decides);
      // a case withdrawn and opened again starts a new run.
      { reuse: 'allow' },
    );
  }

  /**
   * The ticket's record was corrected and its request for expert evaluation voided, with no other
   * standing: the open case is withdrawn in this transaction (the evaluator holding it no longer
   * does), and its workflow called off once that commits.
   */
  async withdrawIfUnfounded(
    m: EntityManager,
    afterCommit: AfterCommit,
    ticketNo: string,
    standing: readonly AnyTicketEvent[],
    at: string,
  ): Promise<void> {
    if (standing.some((e) => e.type === 'ticket.evaluation_requested')) return;
    if (!(await this.experts.withdrawCase(m, ticketNo, at))) return;
    afterCommit(() => cancelWithdrawn(this.temporal, workflowId(ticketNo), (w) => this.logger.warn(w)));
  }

  /** Tells every waiting case that an evaluator may be free now. */
  private async wakeWaitingCases(): Promise<void> {
    // Every waiting case, read first (a case the signal wakes leaves the list, and would shift the
    // pages under a loop that signals as it reads). A case missed still retries on its own timer.
    const waiting: string[] = [];
    for (let offset = 0, limit = 500; ; offset += limit) {
      const { items } = await this.experts.cases({ status: 'waiting_for_evaluator', limit, offset });
      waiting.push(...items.map((c) => c.ticketNo));
      if (items.length < limit) break;
    }
    for (const ticketNo of waiting)
      await this.temporal.workflow
        .getHandle(workflowId(ticketNo))
        .signal('evaluatorAvailable')
        .catch(() => undefined);
  }

  // ---- the evaluator's own cases ----

  private async evaluatorOf(who: Principal): Promise<string> {
    const id = await this.experts.evaluatorIdOfUser(who.userId);
    if (!id) throw new ProblemException('expert_case_not_found', 'you are not in the expert evaluator pool');
    return id;
  }

  async list(who: Principal, q: { status?: ExpertCaseStatus; limit: number; offset: number }) {
    if (who.role === 'evaluator') {
      const own = (await this.experts.assignmentsOf(await this.evaluatorOf(who))).filter(
        (a) => !q.status || a.caseStatus === q.status,
      );
      return pageOf({ items: own.slice(q.offset, q.offset + q.limit), total: own.length }, q);
    }
    const { items, total } = await this.experts.cases(q);
    return pageOf(
      {
        items: items.map(({ evaluatorId, ...c }) => ({
          ...c,
          // The evaluator's identity is protected: only administrators see who holds a case.
          evaluatorId: who.role === 'admin' ? evaluatorId : undefined,
        })),
        total,
      },
      q,
    );
  }

  async detail(who: Principal, ticketNo: string) {
    const c = await this.experts.case(ticketNo);
    if (!c) throw new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
    let assignments = await this.experts.assignments(ticketNo);
    if (who.role === 'evaluator') {
      const me = await this.evaluatorOf(who);
      assignments = assignments.filter((a) => a.evaluatorId === me);
      if (assignments.length === 0)
        throw new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
    }
    const ticket = await this.ledger.findCore(ticketNo);
    const history = await this.ledger.history(ticketNo);
    const { evaluatorId: _holder, ...caseRow } = c;
    // The evaluator must not know the person: the complainant's own phone however it was written
    // (maskKnownNumbersIn, before the rest), numbers that name them in the text (an ID card, a
    // phone, a bank card the caller gave: maskPersonalNumbers) and the complainant's name wherever
    // it was written (maskNamesIn) are masked for the evaluator.
    const known = who.role === 'evaluator' ? await this.experts.complainantToMask(ticketNo) : null;
    const text = known
      ? (t: string) => maskNamesIn(maskPersonalNumbers(maskKnownNumbersIn(t, [known.phone])), [known.name])
      : (t: string) => t;
    return {
      ...caseRow,
      ticket: ticket && {
        ticketNo,
        channel: ticket.channel,
        kind: ticket.kind,
        category: ticket.category,
        regionCode: ticket.regionCode,
        title: text(ticket.title),
        content: text(ticket.content),
        createdAt: ticket.createdAt,
      },
      // What the evaluator judges: the unit's replies and what the citizen said at the callbacks.
      // Each with the centre's review of it: a reply sent back was not the unit's answer.
      replies: repliesReviewed(history, text),
      callbacks: history
        .filter((e) => e.type === 'ticket.callback_answered')
        .map((e) => {
          const data = e.data as { note?: unknown };
          return {
            at: e.occurredAt,
            ...(e.data as object),
            ...(typeof data.note === 'string' ? { note: text(data.note) } : {}),
          };
        }),
      assignments: assignments.map((a) =>
        who.role === 'admin' || who.role === 'evaluator' ? a : { ...a, evaluatorId: undefined },
      ),
      objections: who.role === 'evaluator' ? [] : await this.experts.objections(ticketNo),
    };
  }

  async decide(who: Principal, ticketNo: string, verdict: Verdict, reason: string, key: string | null) {
    await this.refuseNeverGiven(who, ticketNo);
    // Tied to the unit since the case came to them: they may not decide it (it is being handed on).
    const c = await this.experts.case(ticketNo);
    if (c && c.status === 'assigned' && (await this.experts.userTiedTo(who.userId, c.unitId)))
      throw new ProblemException(
        'conflict',
        'you are tied to the unit this case evaluates and may not decide it: return it (回避)',
      );
    return this.act(who, ticketNo, 'decideExpertCase', { userId: who.userId, verdict, reason }, key);
  }

  async giveBack(who: Principal, ticketNo: string, reason: string, key: string | null) {
    await this.refuseNeverGiven(who, ticketNo);
    return this.act(who, ticketNo, 'returnExpertCase', { userId: who.userId, reason }, key);
  }

  /**
   * An evaluator acts only on a case it was given: one it never held (another's, or none) is 404,
   * as it is to read, whatever the case's state (no evaluator learns which tickets have one).
   */
  private async refuseNeverGiven(who: Principal, ticketNo: string): Promise<void> {
    if (who.role !== 'evaluator') return;
    const me = await this.evaluatorOf(who);
    if (!(await this.experts.assignments(ticketNo)).some((a) => a.evaluatorId === me))
      throw new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
  }

  private async act(
    who: Principal,
    ticketNo: string,
    name: string,
    cmd: object,
    key: string | null,
  ): Promise<ExpertActionResult> {
    const c = await this.experts.case(ticketNo);
    if (!c) throw new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
    const gone = () =>
      c.status === 'decided'
        ? new ProblemException('expert_case_closed', 'the verdict is recorded and final')
        : new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
    // A decided case refuses at once, unless the request carries an Idempotency-Key: then Temporal
    // answers, with that key's first outcome (a retry of the verdict gets it again), or `gone`.
    if (c.status === 'decided' && !key) throw gone();
    if (c.status === 'withdrawn')
      throw new ProblemException(
        'expert_case_withdrawn',
        'the case was withdrawn: the request that opened it was voided by a correction of the ticket’s record',
      );
    return executeWorkflowUpdate<ExpertActionResult, object>(this.temporal, workflowId(ticketNo), name, cmd, {
      updateId: key ? `${name}:${who.userId}:${key}` : undefined,
      gone,
    });
  }

  // ---- objections (through the centre only) ----

  async object(who: Principal, ticketNo: string, objection: string, answer: string, key: string | null) {
    const c = await this.experts.case(ticketNo);
    if (!c) throw new ProblemException('expert_case_not_found', `no expert case for ticket ${ticketNo}`);
    if (c.status !== 'decided')
      throw new ProblemException('conflict', 'an objection is recorded against a verdict; there is none yet');
    const r = await this.experts.recordObjection({
      ticketNo,
      objection,
      answer,
      by: actorOf(who),
      // A retry with the same key is the same objection: recorded once.
      ...(key ? { id: stableUuid(`objection:${ticketNo}:${who.userId}:${key}`) } : {}),
    });
    return { id: r!.id, ticketNo, verdict: c.verdict, verdictStands: true, created: r!.created };
  }

  // ---- the pool ----

  async evaluators() {
    return { items: await this.experts.evaluators() };
  }

  async appointByUsername(
    input: Omit<NewEvaluator, 'userId' | 'tiedUnitIds'> & { username?: string; tiedUnitIds?: string[] },
    who?: Principal,
  ) {
    const { username, ...rest } = input;
    await this.requireUnits(rest.tiedUnitIds);
    let userId: string | null = null;
    if (username !== undefined) {
      userId = await this.experts.evaluatorUserId(username);
      if (!userId)
        throw new ProblemException('validation_failed', `no active user ${username} with the evaluator role`);
      if (await this.experts.evaluatorIdOfUser(userId))
        throw new ProblemException('conflict', `${username} is already in the pool`);
    }
    const id = await this.experts.createEvaluator(
      { ...rest, tiedUnitIds: rest.tiedUnitIds ?? [], userId },
      who,
    );
    await this.wakeWaitingCases();
    return { id };
  }

  async change(id: string, patch: Parameters<ExpertRepository['updateEvaluator']>[1], who?: Principal) {
    if (!isUuid(id)) throw new ProblemException('not_found', `no evaluator ${id}`);
    await this.requireUnits(patch.tiedUnitIds);
    if (!(await this.experts.updateEvaluator(id, patch, who)))
      throw new ProblemException('not_found', `no evaluator ${id}`);
    if (patch.tiedUnitIds) await this.recuse(id, patch.tiedUnitIds);
    if (patch.available !== false) await this.wakeWaitingCases();
    return { id };
  }

  /**
   * An evaluator tied to a unit (RULES §4: units they must never evaluate) gives back the cases of
   * that unit they hold now, as a return of their own: each goes to another evaluator.
   */
  private async recuse(evaluatorId: string, unitIds: readonly string[]): Promise<void> {
    for (const held of await this.experts.heldCasesTiedTo(evaluatorId, unitIds))
      await executeWorkflowUpdate<ExpertActionResult, object>(
        this.temporal,
        workflowId(held.ticketNo),
        'returnExpertCase',
        { userId: held.userId, reason: RECUSAL_REASON },
        {
          updateId: `recusal:${evaluatorId}:${held.ticketNo}:${held.attempt}`,
          gone: () => new ProblemException('expert_case_not_found', `no expert case for ${held.ticketNo}`),
        },
      ).catch(() => undefined); // decided or handed on meanwhile: nothing left to give back
  }

  async setOwnAvailability(who: Principal, available: boolean) {
    const id = await this.experts.setAvailabilityOfUser(who.userId, available, who);
    if (!id) throw new ProblemException('not_found', 'you are not in the expert evaluator pool');
    if (available) await this.wakeWaitingCases();
    return { id, available };
  }
}

/**
 * The unit's replies in a ticket's history, each with the centre's review that followed it
 * (`approved` false: sent back, not the unit's answer; null: not reviewed), their text through `text`.
 */
export function repliesReviewed(
  history: readonly { type: string; occurredAt: string; data: unknown }[],
  text: (t: string) => string,
): { at: string; content: string; approved: boolean | null; reviewNote: string }[] {
  return history.flatMap((e, i) => {
    if (e.type !== 'ticket.replied') return [];
    const next = history
      .slice(i + 1)
      .find((r) => r.type === 'ticket.reply_reviewed' || r.type === 'ticket.replied');
    const review =
      next?.type === 'ticket.reply_reviewed' ? (next.data as { approved: boolean; note: string }) : null;
    return [
      {
        at: e.occurredAt,
        content: text((e.data as { content: string }).content),
        approved: review ? review.approved : null,
        reviewNote: review ? text(review.note) : '',
      },
    ];
  });
}
