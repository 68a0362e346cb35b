import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger searched by its words (RULES §1: "every ticket records … respondent, event, demand …
 * searchable later"): `ticket.ticket_texts` holds each ticket's searchable text (title, content,
 * demand, address and respondent, a line each, so no match spans two fields) and its respondent,
 * each under a trigram index (pg_trgm), so `ILIKE '%…%'` on a term of three characters or more
 * reads the index, not every ticket.
 *
 * A table of its own, not an index on `ticket.tickets`: the ledger rewrites a ticket's row at each
 * step of its course (status, unit), and each rewrite that moves the row would enter every trigram
 * of its text again. The text is written once, with the ticket, by a trigger, and again only if
 * one of its fields changes (none does today). `fastupdate = off`: each ticket pays its entry at
 * once (about a millisecond), rather than some registration paying for hundreds at a time.
 *
 * pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: an owner of the database may
 * create it. Existing tickets are entered here, in one statement.
 */
export const TICKET_TEXT_OF = (t: string) =>
  `${t}.title || E'\\n' || ${t}.content || E'\\n' || coalesce(${t}.demand, '') || E'\\n' || coalesce(${t}.address, '') || E'\\n' || coalesce(${t}.respondent, '')`;

/** Every ticket's text not entered yet, entered (the migration's fill; tested on Postgres). */
export const TICKET_TEXTS_FROM_LEDGER = `
  INSERT INTO ticket.ticket_texts (ticket_no, body, respondent)
  SELECT t.ticket_no, ${TICKET_TEXT_OF('t')}, t.respondent FROM ticket.tickets t
  ON CONFLICT (ticket_no) DO NOTHING`;

export class LedgerTextSearch1764021000000 implements MigrationInterface {
  name = 'LedgerTextSearch1764021000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE ticket.ticket_texts (
        ticket_no text PRIMARY KEY REFERENCES ticket.tickets (ticket_no),
        body text NOT NULL,
        respondent text
      )`);
    await q.query(
      `CREATE INDEX ticket_texts_body ON ticket.ticket_texts USING gin (body gin_trgm_ops) WITH (fastupdate = off)`,
    );
    await q.query(
      `CREATE INDEX ticket_texts_respondent ON ticket.ticket_texts USING gin (respondent gin_trgm_ops)
         WITH (fastupdate = off) WHERE respondent IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION ticket.enter_ticket_text() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ticket.ticket_texts (ticket_no, body, respondent)
        VALUES (NEW.ticket_no, ${TICKET_TEXT_OF('NEW')}, NEW.respondent)
        ON CONFLICT (ticket_no) DO UPDATE SET body = EXCLUDED.body, respondent = EXCLUDED.respondent;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ticket_text AFTER INSERT OR UPDATE OF title, content, demand, address, respondent
      ON ticket.tickets FOR EACH ROW EXECUTE FUNCTION ticket.enter_ticket_text()`);
    await q.query(TICKET_TEXTS_FROM_LEDGER);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ticket_text ON ticket.tickets`);
    await q.query(`DROP FUNCTION ticket.enter_ticket_text()`);
    await q.query(`DROP TABLE ticket.ticket_texts`);
  }
}
