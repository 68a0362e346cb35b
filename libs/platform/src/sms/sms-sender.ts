import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { renderSms } from '@hotline/shared';
import type { SmsTemplateId } from '@hotline/shared';
import type { PiiCipher } from '../security/pii-cipher';
import { piiAad } from '../security/pii-cipher';

/** What a message is sent for. */
export const SMS_PURPOSES = [
  'accepted',
  'not_accepted',
  'callback',
  'evaluator_assigned',
  'evaluator_reminder',
  'evaluator_withdrawn',
  'evaluator_case_withdrawn',
] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

export interface OutboundSms {
  /** Unique per message: a repeated send with the same key sends nothing (e.g. `callback:<no>:<round>`). */
  key: string;
  purpose: SmsPurpose;
  ticketNo: string | null;
  /** The callback round a callback SMS asks about (replies are matched to it). */
  round?: number;
  to: string;
  template: SmsTemplateId;
  params: Record<string, string>;
}

/** A provider's send: the rendered text to one number. */
export interface SmsGateway {
  readonly provider: string;
  send(msg: {
    to: string;
    template: SmsTemplateId;
    params: Record<string, string>;
    body: string;
    id: string;
  }): Promise<{
    providerMessageId: string;
  }>;
}

/**
 * The local gateway (development and tests): sends nothing; the message stays in
 * evaluation.sms_messages, where a test or a person reads it and answers it through the API.
 */
export class LocalSmsGateway implements SmsGateway {
  readonly provider = 'local';
  async send(msg: { id: string }): Promise<{ providerMessageId: string }> {
    return { providerMessageId: `local-${msg.id}` };
  }
}

export interface SendResult {
  messageId: string;
  /** True when this key was sent (or tried) before: nothing was sent now. */
  duplicate: boolean;
  status: 'sent' | 'failed' | 'pending';
}

/**
 * Sends each SMS at most once per key: the row is claimed first (unique send_key), then the
 * gateway is called, then the row records the outcome. A retry with the same key finds the row
 * and sends nothing — a lost SMS is covered by the timer that waits for its answer, never by a
 * second text.
 */
export class SmsSender {
  constructor(
    private readonly ds: DataSource,
    private readonly pii: PiiCipher,
    private readonly gateway: SmsGateway,
  ) {}

  async sendOnce(sms: OutboundSms): Promise<SendResult> {
    const id = randomUUID();
    const index = this.pii.phoneIndex(sms.to);
    if (index === null) throw new Error(`not a phone number an SMS can go to (key ${sms.key})`);
    const body = renderSms(sms.template, sms.params);
    const claimed: { id: string }[] = await this.ds.query(
      `INSERT INTO evaluation.sms_messages
         (id, send_key, purpose, ticket_no, recipient, recipient_index, template, params, body, provider, status, round)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'pending',$11) ON CONFLICT (send_key) DO NOTHING RETURNING id`,
      [
        id,
        sms.key,
        sms.purpose,
        sms.ticketNo,
        this.pii.encrypt(sms.to, piiAad(id, 'recipient')),
        index,
        sms.template,
        sms.params,
        body,
        this.gateway.provider,
        sms.round ?? null,
      ],
    );
    if (claimed.length === 0) {
      const [row] = await this.ds.query(
        `SELECT id, status FROM evaluation.sms_messages WHERE send_key = $1`,
        [sms.key],
      );
      return { messageId: row.id, duplicate: true, status: row.status };
    }
    try {
      const { providerMessageId } = await this.gateway.send({ ...sms, body, id });
      await this.ds.query(
        `UPDATE evaluation.sms_messages SET status = 'sent', provider_message_id = $2, sent_at = now() WHERE id = $1`,
        [id, providerMessageId],
      );
      return { messageId: id, duplicate: false, status: 'sent' };
    } catch (err) {
      await this.ds.query(`UPDATE evaluation.sms_messages SET status = 'failed', error = $2 WHERE id = $1`, [
        id,
        (err as Error).message.slice(0, 2000),
      ]);
      return { messageId: id, duplicate: false, status: 'failed' };
    }
  }
}
