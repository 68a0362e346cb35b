import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  CatalogRepository,
  CONFIG,
  PolicyRepository,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { TicketCore } from '@hotline/platform';
import {
  APPEAL_KIND_LABELS,
  CHANNEL_LABELS,
  routeOf,
  selectCatalogEntry,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
} from '@hotline/shared';
import type { PlatformConfig, Route, TicketWorkflowInput, UnitRef } from '@hotline/shared';
import { Fifo } from './fifo';
import { StartPacer, startPacerOptionsFromEnv } from './start-pacer';

/** How often the starter looks whether its started workflows have taken their first turn. */
const FIRST_TURN_POLL_MS = 50;
/** The longest a start keeps its slot waiting for that. */
const FIRST_TURN_WAIT_MS = 5000;

/**
 * Starts a ticket's workflow once its row is committed, off the request's path: the ticket is safe
 * in Postgres the moment intake commits, so the operator's request does not wait for Temporal.
 * Committed tickets queue here and start a few at a time, no faster than the worker takes them;
 * during a surge at intake the starts wait (at most 30 s, see StartPacer) so that the operators'
 * requests are answered first. A sweep picks up whatever a crash or an unreachable Temporal left
 * unstarted. The workflow id is the ticket number, so a second start is rejected by Temporal and
 * counts as done.
 *
 * The start resolves what the workflow must not look up itself: the unit the matter catalog names
 * (承办事项库), the assisting units' names, and the calendar the deadlines are counted on.
 */
@Injectable()
export class WorkflowStarter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowStarter.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private readonly queue = new Fifo<{ ticket: TicketCore; queuedAt: number }>();
  private inFlight = 0;
  private readonly pacer = new StartPacer(startPacerOptionsFromEnv(process.env));
  /** A pump waiting for a surge to pass. */
  private held: NodeJS.Timeout | null = null;
  /** Starts in flight at once (env HOTLINE_START_CONCURRENCY, default 32). */
  private readonly concurrency = Math.max(1, Number(process.env.HOTLINE_START_CONCURRENCY) || 32);
  /** Started tickets whose workflow has not yet taken its first turn: when each started, and its slot's release. */
  private readonly firstTurn = new Map<string, { since: number; release: () => void }>();
  private firstTurnTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly ledger: TicketLedgerRepository,
    private readonly catalog: CatalogRepository,
    private readonly policies: PolicyRepository,
  ) {}

  /** Queues a committed ticket's start; returns at once. */
  enqueue(ticket: TicketCore): void {
    const now = Date.now();
    this.pacer.registered(now);
    this.queue.push({ ticket, queuedAt: now });
    this.pump();
  }

  private pump(): void {
    if (this.held) return;
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const may = this.pacer.mayStart(this.queue.peek()!.queuedAt, Date.now());
      if (!may.go) {
        this.held = setTimeout(() => {
          this.held = null;
          this.pump();
        }, may.retryInMs);
        return;
      }
      const t = this.queue.shift()!.ticket;
      this.inFlight++;
      void this.start(t)
        .then((started) => (started ? this.untilFirstTurn(t.ticketNo) : undefined))
        .catch((err) =>
          this.logger.warn(`workflow for ${t.ticketNo} not started yet: ${(err as Error).message}`),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /**
   * A start keeps its slot until the workflow has taken its first turn (the ledger shows what it
   * recorded), or FIRST_TURN_WAIT_MS (a ticket kept for a manual dispatch or a direct answer records
   * nothing then). So the starts go no faster than the worker takes them: started workflows
   * waiting in Temporal's backlog cost the server far more than the same tickets waiting here
   * (with 19,000 of them backlogged the dispatch fell from about 40 to 10 a second).
   */
  private untilFirstTurn(ticketNo: string): Promise<void> {
    return new Promise((release) => {
      this.firstTurn.set(ticketNo, { since: Date.now(), release });
      this.firstTurnTimer ??= setTimeout(() => void this.checkFirstTurns(), FIRST_TURN_POLL_MS);
    });
  }

  /** One query for every waiting start. */
  private async checkFirstTurns(): Promise<void> {
    try {
      const taken = new Set(await this.ledger.pastFirstTurn([...this.firstTurn.keys()]));
      const now = Date.now();
      for (const [no, w] of this.firstTurn)
        if (taken.has(no) || now - w.since >= FIRST_TURN_WAIT_MS) {
          this.firstTurn.delete(no);
          w.release();
        }
    } catch (err) {
      this.logger.warn(`could not look at the started workflows: ${(err as Error).message}`);
      for (const [no, w] of this.firstTurn)
        if (Date.now() - w.since >= FIRST_TURN_WAIT_MS) {
          this.firstTurn.delete(no);
          w.release();
        }
    } finally {
      this.firstTurnTimer =
        this.firstTurn.size > 0 ? setTimeout(() => void this.checkFirstTurns(), FIRST_TURN_POLL_MS) : null;
    }
  }

  /** What the workflow starts with: the route and units resolved, the calendar of its policy. */
  async inputOf(ticket: TicketCore): Promise<TicketWorkflowInput> {
    const policy = ticket.policy!;
    // A complaint about officials goes to the body for its nature; any other, by the matter catalog.
    const nature = ticket.complaintNature ?? null;
    const entry = nature ? null : selectCatalogEntry(await this.catalog.entriesFor(ticket.category), ticket);
    const chosen = routeOf(
      nature,
      nature ? await this.catalog.natureBody(nature) : null,
      entry,
      entry ? await this.catalog.unit(entry.unitId) : null,
    );
    const route: Route | null = chosen
      ? { unitId: chosen.unit.id, unitName: chosen.unit.name, catalogEntryId: chosen.catalogEntryId }
      : null;
    const assisting: UnitRef[] = [];
    for (const id of ticket.assistingUnitIds ?? []) {
      const u = await this.catalog.unit(id);
      if (u) assisting.push({ unitId: u.id, unitName: u.name });
    }
    return {
      ticketNo: ticket.ticketNo,
      channel: ticket.channel,
      kind: ticket.kind,
      category: ticket.category,
      regionCode: ticket.regionCode,
      createdAt: new Date(ticket.createdAt).toISOString(),
      policy,
      calendar: await this.policies.calendarSnapshot(policy.calendarId, new Date(ticket.createdAt)),
      disposition: ticket.disposition ?? { type: 'dispatch' },
      route,
      assisting,
    };
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), 5000);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.held) clearTimeout(this.held);
    if (this.firstTurnTimer) clearTimeout(this.firstTurnTimer);
    for (const w of this.firstTurn.values()) w.release();
    this.firstTurn.clear();
  }

  async start(ticket: TicketCore): Promise<boolean> {
    if (!ticket.policy) {
      this.logger.error(`ticket ${ticket.ticketNo} has no policy; its workflow cannot start`);
      return false;
    }
    const input = await this.inputOf(ticket);
    try {
      await this.temporal.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId: ticketWorkflowId(ticket.ticketNo),
        taskQueue: this.config.temporalTaskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        searchAttributes: {
          TicketNo: [ticket.ticketNo],
          TicketStatus: ['created'],
          Region: [ticket.regionCode],
          Category: [ticket.category],
        },
        staticSummary: `工单 ${ticket.ticketNo}：${ticket.title}`,
        staticDetails: [
          `**渠道** ${CHANNEL_LABELS[ticket.channel]}`,
          `**类型** ${APPEAL_KIND_LABELS[ticket.kind]}`,
          `**分类** ${ticket.category}`,
          `**区域** ${ticket.regionCode}`,
        ].join('\n\n'),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        this.logger.warn(`workflow for ${ticket.ticketNo} not started yet: ${(err as Error).message}`);
        return false;
      }
      // Already started: by us (a retry), fine. But a workflow older than the ticket means the
      // numbers restarted against a Temporal that remembers other tickets (a database restored or
      // reset on its own): never take that one for ours. The ticket stays unstarted, loudly.
      const existing = await this.temporal.workflow.getHandle(ticketWorkflowId(ticket.ticketNo)).describe();
      if (existing.startTime.getTime() < new Date(ticket.createdAt).getTime() - 60_000) {
        this.logger.error(
          `workflow id ${ticketWorkflowId(ticket.ticketNo)} belongs to an older ticket (started ${existing.startTime.toISOString()}): ` +
            'the database and Temporal disagree; ticket left unstarted',
        );
        return false;
      }
    }
    await this.ledger.markWorkflowStarted(ticket.ticketNo);
    return true;
  }

  async sweep(): Promise<void> {
    // A backstop for what a crash or an unreachable Temporal left: not while the queue is busy,
    // or it would start again what is only waiting its turn.
    if (this.sweeping || this.queue.length > 0 || this.inFlight > 0) return;
    this.sweeping = true;
    try {
      for (const t of await this.ledger.withoutWorkflow(10, 100)) {
        if (!t.policy) continue; // written by hand, not by intake: nothing to start
        if (!(await this.start(t))) break;
      }
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}
