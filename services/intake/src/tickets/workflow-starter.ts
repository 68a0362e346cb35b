import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { CONFIG, TEMPORAL_CLIENT, TicketLedgerRepository } from '@hotline/platform';
import type { TicketRow } from '@hotline/platform';
import { APPEAL_KIND_LABELS, CHANNEL_LABELS, TICKET_WORKFLOW_TYPE, ticketWorkflowId } from '@hotline/shared';
import type { PlatformConfig, TicketWorkflowInput } from '@hotline/shared';

/**
 * Starts a ticket's workflow once its row is committed. The workflow id is the ticket number, so a
 * second start is rejected by Temporal and counts as done. Should Temporal be down at intake, the
 * ticket is safe in Postgres and a sweep starts its workflow as soon as Temporal answers again.
 */
@Injectable()
export class WorkflowStarter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowStarter.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly ledger: TicketLedgerRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), 5000);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async start(ticket: TicketRow): Promise<boolean> {
    const input: TicketWorkflowInput = {
      ticketNo: ticket.ticketNo,
      channel: ticket.channel,
      kind: ticket.kind,
      category: ticket.category,
      regionCode: ticket.regionCode,
      createdAt: new Date(ticket.createdAt).toISOString(),
      policy: ticket.policy!,
      disposition: ticket.disposition ?? { type: 'dispatch' },
      assistingUnitIds: ticket.assistingUnitIds ?? [],
    };
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
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const t of await this.ledger.withoutWorkflow(5, 100)) if (!(await this.start(t))) break;
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}
