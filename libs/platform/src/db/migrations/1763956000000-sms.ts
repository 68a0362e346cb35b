import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound SMS (issue #8): one row per message, keyed by its purpose (e.g. `callback:<ticketNo>:<round>`)
 * so a retried send never texts twice. The recipient's number is encrypted (AES-GCM, bound to the
 * row and field) with a blind index to match replies; the body is rendered from a template.
 * evaluation.sms_replies keeps every message received and its outcome (applied, or why ignored).
 */
export class Sms1763956000000 implements MigrationInterface {
  name = 'Sms1763956000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.sms_messages (
        id uuid PRIMARY KEY,
        send_key text NOT NULL UNIQUE,
        purpose text NOT NULL,
        ticket_no text,
        round integer,
        recipient text NOT NULL,
        recipient_index text NOT NULL,
        template text NOT NULL,
        params jsonb NOT NULL,
        body text NOT NULL,
        provider text NOT NULL,
        provider_message_id text,
        status text NOT NULL CHECK (status IN ('pending','sent','failed')),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX sms_messages_recipient ON evaluation.sms_messages (recipient_index, created_at DESC)`,
    );
    await q.query(`CREATE INDEX sms_messages_ticket ON evaluation.sms_messages (ticket_no)`);
    // Every message received (a reply to a callback, or anything else), and what became of it.
    await q.query(`
      CREATE TABLE evaluation.sms_replies (
        id uuid PRIMARY KEY,
        sender text NOT NULL,
        sender_index text,
        text text NOT NULL,
        received_at timestamptz NOT NULL,
        message_id uuid REFERENCES evaluation.sms_messages(id),
        ticket_no text,
        verdict text,
        outcome text NOT NULL CHECK (outcome IN
          ('applied','needs_manual','ignored_unknown_sender','ignored_closed','ignored_late')),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sms_replies_ticket ON evaluation.sms_replies (ticket_no)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.sms_replies`);
    await q.query(`DROP TABLE evaluation.sms_messages`);
  }
}
