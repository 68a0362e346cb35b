import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ticket lifecycle: SLA policy sets and working-day calendars as data (schema `policy`), and
 * the policy each ticket started with.
 */
export class Lifecycle1763910000000 implements MigrationInterface {
  name = 'Lifecycle1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS policy`);
    await q.query(`
      CREATE TABLE policy.policy_sets (
        code text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        PRIMARY KEY (code, version)
      )`);
    await q.query(`
      CREATE TABLE policy.settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE policy.calendars (
        id text PRIMARY KEY,
        name text NOT NULL,
        working_hours jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE policy.calendar_days (
        calendar_id text NOT NULL REFERENCES policy.calendars(id),
        day date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        source text NOT NULL,
        note text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (calendar_id, day)
      )`);
    await q.query(`ALTER TABLE ticket.tickets ADD COLUMN policy_code text, ADD COLUMN policy_version integer,
      ADD COLUMN policy jsonb, ADD COLUMN disposition jsonb NOT NULL DEFAULT '{"type":"dispatch"}'`);
    await q.query(`ALTER TABLE supervision.ticket_facts ADD COLUMN complete_due_at timestamptz,
      ADD COLUMN overdue_count integer NOT NULL DEFAULT 0, ADD COLUMN reminder_count integer NOT NULL DEFAULT 0,
      ADD COLUMN extension_count integer NOT NULL DEFAULT 0, ADD COLUMN return_count integer NOT NULL DEFAULT 0,
      ADD COLUMN rejected_reply_count integer NOT NULL DEFAULT 0, ADD COLUMN outcome text`);
    await q.query(`ALTER TABLE evaluation.closed_tickets ADD COLUMN outcome text`);
    await q.query(`
      CREATE TABLE evaluation.evaluation_requests (
        ticket_no text PRIMARY KEY,
        unit_id text,
        verdict text NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'awaiting_assignment'
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.evaluation_requests`);
    await q.query(`ALTER TABLE evaluation.closed_tickets DROP COLUMN outcome`);
    await q.query(`ALTER TABLE supervision.ticket_facts DROP COLUMN complete_due_at, DROP COLUMN overdue_count,
      DROP COLUMN reminder_count, DROP COLUMN extension_count, DROP COLUMN return_count,
      DROP COLUMN rejected_reply_count, DROP COLUMN outcome`);
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN policy_code, DROP COLUMN policy_version,
      DROP COLUMN policy, DROP COLUMN disposition`);
    await q.query(`DROP SCHEMA policy CASCADE`);
  }
}
