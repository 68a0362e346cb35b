import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  executeTicketUpdate,
  pageOf,
  PiiCipher,
  ProblemException,
  SmsSender,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { SmsPurpose } from '@hotline/platform';
import { intakeSms, parseSmsReply, takesSms } from '@hotline/shared';
import type { Actor, ReplyOutcome, Verdict } from '@hotline/shared';
import { SmsRepository } from './sms.repository';

export const SMS_PROVIDER_NAME = Symbol('SMS_PROVIDER_NAME');
/** The gateway, as the actor of the callback answers it brings. */
const SMS_GATEWAY: Actor = { kind: 'system' };

export interface InboundSms {
  from: string;
  text: string;
  receivedAt?: string;
}

/**
 * The SMS callback (短信回访): the text goes out when the ticket's workflow asks for it, one per
 * callback round; the citizen's reply comes back through the provider's webhook (or the local
 * gateway) and is matched to the callback it answers by the sender's number. A reply the platform
 * cannot place (another number, after the wait, to a callback already answered or closed) is
 * recorded and ignored, never applied to some other ticket.
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(SMS_PROVIDER_NAME) private readonly provider: string,
    private readonly sender: SmsSender,
    private readonly sms: SmsRepository,
    private readonly ledger: TicketLedgerRepository,
    private readonly pii: PiiCipher,
  ) {}

  /**
   * Tells the complainant the ticket is registered: accepted, with its number and query code (to
   * look it up and evaluate it online), or not accepted and why. Once per ticket; nothing to an
   * anonymous complainant or a number that takes no SMS.
   */
  async sendIntakeNotice(ticketNo: string): Promise<void> {
    const ticket = await this.ledger.find(ticketNo);
    const phone = ticket?.complainantPhone ?? null;
    if (!ticket || !phone || !takesSms(phone)) return;
    const sms = intakeSms(ticketNo, ticket.disposition, this.pii.queryCode(ticketNo));
    await this.sender.sendOnce({ ...sms, purpose: sms.template, ticketNo, to: phone });
  }

  /** Sends round `round`'s callback SMS, once however often it is asked (the key names the round). */
  async sendCallback(ticketNo: string, round: number): Promise<void> {
    const ticket = await this.ledger.find(ticketNo);
    const phone = ticket?.complainantPhone ?? null;
    if (!phone || !takesSms(phone)) {
      // No number to text (none, or a landline): the workflow's SMS wait runs out and an operator calls instead.
      this.logger.warn(
        `ticket ${ticketNo}: no mobile number for the callback SMS; the manual callback follows`,
      );
      return;
    }
    await this.sender.sendOnce({
      key: `callback:${ticketNo}:${round}`,
      purpose: 'callback',
      ticketNo,
      round,
      to: phone,
      template: 'callback',
      params: { ticketNo },
    });
  }

  async receive(
    inbound: InboundSms,
  ): Promise<{ id: string; ticketNo: string | null; outcome: ReplyOutcome; verdict: Verdict | null }> {
    const id = randomUUID();
    const receivedAt = inbound.receivedAt ?? new Date().toISOString();
    const index = this.pii.phoneIndex(inbound.from);
    const message = index ? await this.sms.latestCallbackTo(index) : null;
    let outcome: ReplyOutcome = 'ignored_unknown_sender';
    let verdict: Verdict | null = null;
    if (message) {
      verdict = parseSmsReply(inbound.text);
      outcome = await this.apply(
        message.ticketNo,
        message.round,
        id,
        verdict,
        inbound.text,
        Date.parse(receivedAt),
      );
    }
    await this.sms.recordReply({
      id,
      from: inbound.from,
      text: inbound.text,
      receivedAt,
      messageId: message?.id ?? null,
      ticketNo: message?.ticketNo ?? null,
      verdict: outcome === 'applied' ? verdict : null,
      outcome,
    });
    return {
      id,
      ticketNo: message?.ticketNo ?? null,
      outcome,
      verdict: outcome === 'applied' ? verdict : null,
    };
  }

  /** Applies the answer if the ticket still waits for this round's SMS answer; else says why not. */
  private async apply(
    ticketNo: string,
    round: number,
    replyId: string,
    verdict: Verdict | null,
    text: string,
    receivedAt: number,
  ): Promise<ReplyOutcome> {
    const history = await this.ledger.history(ticketNo);
    const requests = history
      .filter((e) => e.type === 'ticket.callback_requested')
      .map((e) => e.data as { mode: string; round: number; dueAt: string });
    // The SMS this reply answers: after its wait the reply is late, whatever happened since.
    const asked = requests.filter((d) => d.mode === 'sms' && d.round === round).at(-1);
    if (!asked) return 'ignored_closed';
    if (receivedAt > Date.parse(asked.dueAt)) return 'ignored_late';
    const answered = history.some(
      (e) =>
        e.type === 'ticket.callback_answered' &&
        (e.data as { mode: string; round: number }).mode === 'sms' &&
        (e.data as { round: number }).round === round,
    );
    // In time, but the ticket has moved on (answered, another round, closed).
    if (requests.at(-1) !== asked || answered) return 'ignored_closed';
    try {
      await executeTicketUpdate(
        this.temporal,
        ticketNo,
        'recordCallback',
        { mode: 'sms', verdict, note: `短信回复：${text.slice(0, 200)}`, actor: SMS_GATEWAY },
        `sms-reply-${replyId}`,
      );
    } catch (err) {
      if (err instanceof ProblemException && err.getStatus() < 500) return 'ignored_closed';
      throw err;
    }
    return verdict ? 'applied' : 'needs_manual';
  }

  // ---- the local gateway (development and tests) ----

  private requireLocal(): void {
    if (this.provider !== 'local')
      throw new ProblemException('not_found', 'the local SMS gateway is not in use');
  }

  async localMessages(q: { ticketNo?: string; purpose?: SmsPurpose; limit: number; offset: number }) {
    this.requireLocal();
    return pageOf(await this.sms.messages(q), q);
  }

  /** Answers a message as its recipient would: through the same path as a provider's webhook. */
  async localReply(messageId: string, text: string) {
    this.requireLocal();
    const m = /^[0-9a-f-]{36}$/i.test(messageId) ? await this.sms.messageWithRecipient(messageId) : null;
    if (!m) throw new ProblemException('not_found', `no message ${messageId}`);
    return this.receive({ from: m.to, text });
  }
}
