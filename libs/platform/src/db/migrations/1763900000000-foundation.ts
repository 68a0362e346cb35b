import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema. One database, one schema per owner:
 *   identity   – users and roles (owned by intake, which issues tokens)
 *   catalog    – regions, units and the matter catalog (owned by dispatch)
 *   ticket     – the ledger (台账): tickets, their full history, gapless counters
 *   dispatch   – which unit holds which ticket (what a unit may see)
 *   platform   – the transactional outbox and the consumers' inbox
 *   supervision, evaluation – read models built from ticket events
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const s of ['identity', 'catalog', 'ticket', 'dispatch', 'platform', 'supervision', 'evaluation'])
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);

    await q.query(`
      CREATE TABLE catalog.regions (
        code text PRIMARY KEY,
        name text NOT NULL,
        parent_code text REFERENCES catalog.regions(code)
      )`);
    await q.query(`
      CREATE TABLE catalog.units (
        id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('department','district','street','utility','hub')),
        region_code text REFERENCES catalog.regions(code),
        active boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE catalog.matter_catalog (
        id text PRIMARY KEY,
        name text NOT NULL,
        category text NOT NULL,
        region_code text REFERENCES catalog.regions(code),
        unit_id text NOT NULL REFERENCES catalog.units(id),
        priority integer NOT NULL DEFAULT 100,
        active boolean NOT NULL DEFAULT true
      )`);
    await q.query(`CREATE INDEX matter_catalog_category ON catalog.matter_catalog (category) WHERE active`);

    await q.query(`
      CREATE TABLE identity.users (
        id text PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('operator','unit_clerk','reviewer','supervisor','evaluator','admin')),
        unit_id text REFERENCES catalog.units(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'unit_clerk') = (unit_id IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE ticket.counters (
        scope text PRIMARY KEY,
        value bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ticket.tickets (
        ticket_no text PRIMARY KEY,
        channel text NOT NULL,
        kind text NOT NULL,
        category text NOT NULL,
        region_code text NOT NULL REFERENCES catalog.regions(code),
        title text NOT NULL,
        content text NOT NULL,
        address text,
        complainant_name text,
        complainant_phone text,
        confidential boolean NOT NULL DEFAULT false,
        respondent text,
        demand text,
        status text NOT NULL,
        unit_id text REFERENCES catalog.units(id),
        created_by text NOT NULL,
        request_key text UNIQUE,
        workflow_started_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tickets_status ON ticket.tickets (status, created_at)`);
    await q.query(
      `CREATE INDEX tickets_workflow_pending ON ticket.tickets (created_at) WHERE workflow_started_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE ticket.ticket_events (
        event_id uuid PRIMARY KEY,
        ticket_no text NOT NULL REFERENCES ticket.tickets(ticket_no),
        seq integer NOT NULL,
        type text NOT NULL,
        actor jsonb NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        UNIQUE (ticket_no, seq)
      )`);

    await q.query(`
      CREATE TABLE dispatch.assignments (
        ticket_no text NOT NULL REFERENCES ticket.tickets(ticket_no),
        unit_id text NOT NULL REFERENCES catalog.units(id),
        role text NOT NULL DEFAULT 'lead' CHECK (role IN ('lead','assisting')),
        status text NOT NULL,
        dispatched_at timestamptz NOT NULL,
        sign_due_at timestamptz,
        signed_at timestamptz,
        replied_at timestamptz,
        PRIMARY KEY (ticket_no, unit_id)
      )`);
    await q.query(`CREATE INDEX assignments_unit ON dispatch.assignments (unit_id, dispatched_at DESC)`);

    await q.query(`
      CREATE TABLE platform.outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_unpublished ON platform.outbox (id) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE platform.inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);

    await q.query(`
      CREATE TABLE platform.dead_letters (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset text NOT NULL,
        payload text,
        error text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (consumer, topic, kafka_partition, kafka_offset)
      )`);

    await q.query(`
      CREATE TABLE supervision.ticket_facts (
        ticket_no text PRIMARY KEY,
        status text NOT NULL,
        unit_id text,
        category text,
        region_code text,
        created_at timestamptz,
        dispatched_at timestamptz,
        sign_due_at timestamptz,
        signed_at timestamptz,
        signed_late boolean NOT NULL DEFAULT false,
        replied_at timestamptz,
        closed_at timestamptz,
        last_seq integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE evaluation.closed_tickets (
        ticket_no text PRIMARY KEY,
        unit_id text,
        closed_at timestamptz NOT NULL,
        evaluation_status text NOT NULL DEFAULT 'awaiting_callback'
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const s of ['evaluation', 'supervision', 'platform', 'dispatch', 'ticket', 'identity', 'catalog'])
      await q.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  }
}
