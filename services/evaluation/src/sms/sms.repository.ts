import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { piiAad, PiiCipher, queryPage } from '@hotline/platform';
import { maskPhone } from '@hotline/shared';
import type { ReplyOutcome } from '@hotline/shared';

export interface CallbackMessage {
  id: string;
  ticketNo: string;
  round: number;
}

/** The SMS the platform sent and received (evaluation.sms_messages, evaluation.sms_replies). */
@Injectable()
export class SmsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly pii: PiiCipher,
  ) {}

  /** The latest callback SMS sent to the number with this blind index. */
  async latestCallbackTo(index: string): Promise<CallbackMessage | null> {
    const rows: CallbackMessage[] = await this.ds.query(
      `SELECT id, ticket_no AS "ticketNo", round FROM evaluation.sms_messages
       WHERE recipient_index = $1 AND purpose = 'callback' AND status = 'sent'
       ORDER BY created_at DESC, id LIMIT 1`,
      [index],
    );
    return rows[0] ?? null;
  }

  /** A message with its recipient's number (decrypted: the local gateway answers as that number). */
  async messageWithRecipient(id: string): Promise<{ id: string; to: string } | null> {
    const rows: { id: string; recipient: string }[] = await this.ds.query(
      `SELECT id, recipient FROM evaluation.sms_messages WHERE id = $1`,
      [id],
    );
    return rows[0] ? { id, to: this.pii.decrypt(rows[0].recipient, piiAad(id, 'recipient')) } : null;
  }

  async messages(filter: { ticketNo?: string; purpose?: string; limit: number; offset: number }) {
    const { items, total } = await queryPage<Record<string, unknown>>(
      this.ds,
      {
        select: `id, send_key AS "key", purpose, ticket_no AS "ticketNo", round, recipient, template, body,
          provider, status, error, created_at AS "createdAt", sent_at AS "sentAt"`,
        from: `FROM evaluation.sms_messages
          WHERE ($1::text IS NULL OR ticket_no = $1) AND ($2::text IS NULL OR purpose = $2)`,
        orderBy: 'created_at DESC, id',
      },
      [filter.ticketNo ?? null, filter.purpose ?? null],
      filter,
    );
    return {
      items: items.map(({ recipient, ...r }) => ({
        ...r,
        to: maskPhone(this.pii.decrypt(recipient as string, piiAad(r.id as string, 'recipient')))!,
      })),
      total,
    };
  }

  async recordReply(r: {
    id: string;
    from: string;
    text: string;
    receivedAt: string;
    messageId: string | null;
    ticketNo: string | null;
    verdict: string | null;
    outcome: ReplyOutcome;
  }): Promise<void> {
    await this.ds.query(
      `INSERT INTO evaluation.sms_replies
         (id, sender, sender_index, text, received_at, message_id, ticket_no, verdict, outcome)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        r.id,
        this.pii.encrypt(r.from, piiAad(r.id, 'sender')),
        this.pii.phoneIndex(r.from),
        r.text,
        r.receivedAt,
        r.messageId,
        r.ticketNo,
        r.verdict,
        r.outcome,
      ],
    );
  }

  async replies(ticketNo: string) {
    return this.ds.query(
      `SELECT id, text, received_at AS "receivedAt", message_id AS "messageId", verdict, outcome
       FROM evaluation.sms_replies WHERE ticket_no = $1 ORDER BY received_at, id`,
      [ticketNo],
    );
  }
}
