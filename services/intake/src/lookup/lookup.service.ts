import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  executeTicketUpdate,
  PiiCipher,
  ProblemException,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import type { TicketRow } from '@hotline/platform';
import { citizenView, isTicketNo, takesSms } from '@hotline/shared';
import type { CitizenEvent, CitizenView, Verdict } from '@hotline/shared';

/** Whether the callback SMS could go to the complainant's number (none goes to a landline or none). */
const reach = (t: TicketRow) => ({
  smsReachable: t.complainantPhone !== null && takesSms(t.complainantPhone),
});

/** What the record says of an answer the citizen gave online. */
export const ONLINE_EVALUATION_NOTE = '市民凭查询码网上评价';

/**
 * A citizen's look-up of their ticket (RULES §1): the ticket number and its query code (查询码,
 * given at registration) open the citizen's view of it. A wrong code and an unknown number get the
 * same answer (401), and the ticket is read only once the code matches, so neither the answer nor
 * its time tells whether a number exists. Guesses are throttled per ticket and per address.
 */
@Injectable()
export class LookupService {
  constructor(
    private readonly ledger: TicketLedgerRepository,
    private readonly pii: PiiCipher,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async lookup(ticketNo: string, queryCode: string): Promise<CitizenView> {
    const ticket = await this.opened(ticketNo, queryCode);
    return citizenView(ticket, (await this.ledger.history(ticketNo)) as CitizenEvent[], reach(ticket));
  }

  /**
   * The citizen evaluates the result online (RULES §1: "evaluate it online"), as the answer to the
   * callback SMS the ticket is waiting for: the same update of the ticket's workflow, the same
   * course after it (satisfied closes; unsatisfied goes to the operators' call). Only while the SMS
   * callback waits; the same verdict again in that round gets the first answer.
   */
  async evaluate(ticketNo: string, queryCode: string, verdict: Verdict): Promise<CitizenView> {
    const ticket = await this.opened(ticketNo, queryCode);
    const history = (await this.ledger.history(ticketNo)) as CitizenEvent[];
    const asked = history.filter((e) => e.type === 'ticket.callback_requested').at(-1)?.data;
    const lastSms = history
      .filter((e) => e.type === 'ticket.callback_requested' && e.data.mode === 'sms')
      .at(-1);
    // The same evaluation again (a double click, a retry) is answered with the ticket as it is now.
    const given = history.some(
      (e) =>
        e.type === 'ticket.callback_answered' &&
        e.data.note === ONLINE_EVALUATION_NOTE &&
        e.data.verdict === verdict &&
        e.data.round === lastSms?.data.round,
    );
    if (given) return citizenView(ticket, history, reach(ticket));
    const notOpen = () =>
      new ProblemException(
        'evaluation_not_open',
        // The citizen reads it: Chinese, as every text a citizen reads.
        '该工单目前不在评价阶段：答复经热线中心审核通过后可以评价，转为人工回访后不再接受网上评价。',
      );
    if (ticket.status !== 'callback' || asked?.mode !== 'sms') throw notOpen();
    await executeTicketUpdate(
      this.temporal,
      ticketNo,
      'recordCallback',
      { mode: 'sms', verdict, note: ONLINE_EVALUATION_NOTE, actor: { kind: 'system' } },
      `online-evaluation:round-${String(asked.round)}:${verdict}`,
    ).catch((err: unknown) => {
      // Answered meanwhile (the SMS, or another verdict sent at the same moment): the workflow refused.
      throw err instanceof ProblemException && ['action_rejected', 'ticket_closed'].includes(err.code)
        ? notOpen()
        : err;
    });
    // The ticket as the citizen now sees it (the transition is in the ledger once the update answers).
    const after = (await this.ledger.find(ticketNo)) ?? ticket;
    return citizenView(after, (await this.ledger.history(ticketNo)) as CitizenEvent[], reach(after));
  }

  /** The ticket, when the code is its own; a wrong code and an unknown number answer alike. */
  private async opened(ticketNo: string, queryCode: string): Promise<TicketRow> {
    const matches = isTicketNo(ticketNo) && this.pii.queryCodeMatches(ticketNo, queryCode);
    const ticket = matches ? await this.ledger.find(ticketNo) : null;
    if (!ticket)
      throw new ProblemException('invalid_credentials', '工单编号或查询码不正确，请核对短信中的编号和查询码');
    return ticket;
  }
}
