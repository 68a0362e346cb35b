import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PiiCipher } from '../../security/pii-cipher';
import {
  countPlaintextPersonalData,
  sealTicketPersonalData,
  ticketPiiAad,
} from '../../security/pii-rotation';

/**
 * Personal data (PIPL art. 6, 28, 51):
 * - the complainant's name and phone are stored encrypted (AES-256-GCM envelopes, `v1:<kid>:…`, in
 *   the existing text columns); `complainant_phone_index` holds the phone's blind index (keyed
 *   HMAC) so intake finds a caller's earlier tickets without decrypting anything;
 * - `audit.personal_data_access`, the append-only log of every reveal and of every ticket a search
 *   by phone found (a trigger refuses UPDATE, DELETE and TRUNCATE);
 * - the `auditor` role, who reads that log.
 *
 * Rows registered before this migration hold plaintext: `up` encrypts them here, with the keys
 * from the environment (HOTLINE_PII_KEYS, HOTLINE_PII_INDEX_KEY), and fails with a clear message
 * when such rows exist and no keys are set. A database without them needs no keys to migrate.
 */
export class PersonalData1763950000000 implements MigrationInterface {
  name = 'PersonalData1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets ADD COLUMN complainant_phone_index text`);
    await q.query(
      `CREATE INDEX tickets_complainant_phone_index ON ticket.tickets (complainant_phone_index, created_at DESC)
       WHERE complainant_phone_index IS NOT NULL`,
    );

    await q.query(`ALTER TABLE identity.users DROP CONSTRAINT users_role_check`);
    await q.query(
      `ALTER TABLE identity.users ADD CONSTRAINT users_role_check
       CHECK (role IN ('operator','unit_clerk','reviewer','supervisor','evaluator','admin','auditor'))`,
    );

    await q.query(`CREATE SCHEMA IF NOT EXISTS audit`);
    await q.query(`
      CREATE TABLE audit.personal_data_access (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        user_id text NOT NULL,
        username text NOT NULL,
        role text NOT NULL,
        action text NOT NULL CHECK (action IN ('reveal', 'search')),
        ticket_no text NOT NULL REFERENCES ticket.tickets(ticket_no),
        fields text[] NOT NULL,
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        request_address text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX personal_data_access_time ON audit.personal_data_access (occurred_at DESC)`);
    await q.query(
      `CREATE INDEX personal_data_access_ticket ON audit.personal_data_access (ticket_no, occurred_at DESC)`,
    );
    await q.query(
      `CREATE INDEX personal_data_access_user ON audit.personal_data_access (user_id, occurred_at DESC)`,
    );
    await q.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on %.% refused: the personal-data access log is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER personal_data_access_append_only BEFORE UPDATE OR DELETE ON audit.personal_data_access
      FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
    await q.query(`
      CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON audit.personal_data_access
      FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);

    // Existing plaintext rows: encrypted now, in this migration's transaction.
    const plaintext = await countPlaintextPersonalData(q);
    if (plaintext > 0) {
      let cipher: PiiCipher;
      try {
        cipher = PiiCipher.fromEnv(process.env);
      } catch (err) {
        throw new Error(
          `${plaintext} ticket(s) hold the complainant's name or phone in plaintext, and this migration ` +
            `encrypts them: set HOTLINE_PII_KEYS and HOTLINE_PII_INDEX_KEY (README, "Personal data") and ` +
            `run it again. ${(err as Error).message}`,
        );
      }
      await sealTicketPersonalData(q, cipher, {
        onProgress: (done, total) => console.log(`personal data: encrypted ${done}/${total} tickets`),
      });
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to plaintext, which needs the keys when encrypted rows exist.
    const [{ n }] = await q.query(
      `SELECT count(*)::int AS n FROM ticket.tickets WHERE complainant_name IS NOT NULL OR complainant_phone IS NOT NULL`,
    );
    if (n > 0) {
      const cipher = PiiCipher.fromEnv(process.env);
      const rows: { ticket_no: string; complainant_name: string | null; complainant_phone: string | null }[] =
        await q.query(
          `SELECT ticket_no, complainant_name, complainant_phone FROM ticket.tickets
           WHERE complainant_name LIKE 'v1:%' OR complainant_phone LIKE 'v1:%'`,
        );
      for (const r of rows)
        await q.query(
          `UPDATE ticket.tickets SET complainant_name = $2, complainant_phone = $3 WHERE ticket_no = $1`,
          [
            r.ticket_no,
            cipher.open(r.complainant_name, ticketPiiAad(r.ticket_no, 'complainant_name')),
            cipher.open(r.complainant_phone, ticketPiiAad(r.ticket_no, 'complainant_phone')),
          ],
        );
    }
    await q.query(`DROP TABLE audit.personal_data_access`);
    await q.query(`DROP FUNCTION audit.refuse_change()`);
    await q.query(`DROP SCHEMA audit`);
    await q.query(`DELETE FROM identity.users WHERE role = 'auditor'`);
    await q.query(`ALTER TABLE identity.users DROP CONSTRAINT users_role_check`);
    await q.query(
      `ALTER TABLE identity.users ADD CONSTRAINT users_role_check
       CHECK (role IN ('operator','unit_clerk','reviewer','supervisor','evaluator','admin'))`,
    );
    await q.query(`DROP INDEX ticket.tickets_complainant_phone_index`);
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN complainant_phone_index`);
  }
}
