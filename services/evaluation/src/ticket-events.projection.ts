import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, TicketEventProjection, TicketLedgerRepository } from '@hotline/platform';
import type { AfterCommit } from '@hotline/platform';
import type { AnyTicketEvent, PlatformConfig, TicketEvent } from '@hotline/shared';
import { ExpertsService } from './experts/experts.service';
import { SmsService } from './sms/sms.service';
import { VotesService } from './votes/votes.service';

/** The voided events whose effects here a correction undoes. */
const CORRECTED_HERE = new Set<string>([
  'ticket.closed',
  'ticket.reply_reviewed',
  'ticket.evaluation_requested',
]);

/**
 * What the evaluation service does on the ticket's events: the SMS at intake (the number and the
 * query code), the callback SMS when the workflow asks for it, a forum ticket's vote window when its reply is approved, the expert case when a ticket
 * closes unsatisfied, and the closed tickets' register.
 */
@Injectable()
export class TicketEventsProjection extends TicketEventProjection {
  // The consumer's name from when it kept the closed tickets only: kept, so its inbox and offsets carry on.
  protected readonly consumerName = 'evaluation.closed-tickets';
  protected override readonly eventTypes = [
    'ticket.created',
    'ticket.callback_requested',
    'ticket.reply_reviewed',
    'ticket.evaluation_requested',
    'ticket.closed',
    'ticket.record_corrected',
  ] as const;

  constructor(
    ds: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: PlatformConfig,
    private readonly experts: ExpertsService,
    private readonly sms: SmsService,
    private readonly votes: VotesService,
    private readonly ledger: TicketLedgerRepository,
  ) {
    super(ds, kafka, config);
  }

  protected async apply(e: AnyTicketEvent, m: EntityManager, afterCommit: AfterCommit): Promise<void> {
    if (e.type === 'ticket.created') {
      // The complainant learns the ticket's number and query code (or why it is not accepted), once.
      await this.sms.sendIntakeNotice(e.ticketNo);
      return;
    }
    if (e.type === 'ticket.reply_reviewed') {
      // A forum ticket's reply marked handled: its public vote window opens (SZ 寒山闻钟).
      if (e.data.approved) await this.votes.open(e.ticketNo, e.data.unitId, e.occurredAt);
      return;
    }
    if (e.type === 'ticket.callback_requested') {
      // The workflow asks the citizen by SMS: one text per round, however often this is delivered.
      if (e.data.mode === 'sms') await this.sms.sendCallback(e.ticketNo, e.data.round);
      return;
    }
    if (e.type === 'ticket.evaluation_requested') {
      // Unsatisfied after callback and rectification: the case goes to the expert evaluators.
      if (e.data.unitId) await this.experts.open(m, afterCommit, e.ticketNo, e.data.unitId, e.occurredAt);
      return;
    }
    if (e.type === 'ticket.record_corrected') {
      const voided = new Set(e.data.voided.map((v) => v.type));
      if (![...voided].some((t) => CORRECTED_HERE.has(t))) return;
      const standing = await this.ledger.standingEvents(e.ticketNo, e.seq, m);
      if (voided.has('ticket.closed')) {
        // A close a lost attempt wrote leaves the register; the close that stands, if any, is in it.
        await m.query(`DELETE FROM evaluation.closed_tickets WHERE ticket_no = $1`, [e.ticketNo]);
        const closed = standing.find((x) => x.type === 'ticket.closed');
        if (closed) await this.register(closed, m);
      }
      // A forum ticket's vote that a lost attempt's approval opened is withdrawn.
      if (voided.has('ticket.reply_reviewed')) {
        const ids = e.data.voided.filter((v) => v.type === 'ticket.reply_reviewed').map((v) => v.eventId);
        const approvals = (await this.ledger.eventsByIds(e.ticketNo, ids, m)).filter(
          (x) => x.type === 'ticket.reply_reviewed' && x.data.approved,
        );
        if (approvals.length > 0)
          await this.votes.withdrawIfUnfounded(m, afterCommit, e.ticketNo, standing, e.occurredAt);
      }
      // An expert case that a lost attempt's request opened is withdrawn.
      if (voided.has('ticket.evaluation_requested'))
        await this.experts.withdrawIfUnfounded(m, afterCommit, e.ticketNo, standing, e.occurredAt);
      return;
    }
    if (e.type === 'ticket.closed') await this.register(e, m);
  }

  /** The closed tickets' register: one row per ticket. */
  private async register(e: TicketEvent<'ticket.closed'>, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO evaluation.closed_tickets (ticket_no, unit_id, closed_at, outcome, evaluation_status)
       VALUES ($1,$2,$3,$4,$5) ON CONFLICT (ticket_no) DO NOTHING`,
      [
        e.ticketNo,
        e.data.unitId,
        e.occurredAt,
        e.data.outcome,
        // Awaiting the experts only where a unit's handling went to them (closed with a unit).
        e.data.outcome === 'unsatisfied' && e.data.unitId !== null ? 'awaiting_expert' : 'done',
      ],
    );
  }
}
