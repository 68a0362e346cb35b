import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision (issue #9):
 * - supervision.events: the supervision service's own events (order raised … closed, escalation
 *   decided, instruction recorded), each with its outbox row;
 * - supervision.orders: reminders (催办) and orders (督办), one row each, the workflow's marks
 *   (reminders, overdue, rounds) and the latest answer and review; `source_key` makes an automatic
 *   trigger raise one order however often its event is delivered;
 * - supervision.escalations: the escalation chain's decisions with their grounds and documents;
 * - supervision.instructions and instruction_views: leader instructions and who viewed them when;
 * - supervision.assessment_inputs, bonuses and attitude_complaints: the centre's manual items, bonus
 *   events and complaints about a unit's attitude;
 * - supervision.tracked_events: concentrated and persistent events found by the analysis, kept
 *   with when they were first and last seen;
 * - supervision.test_calls: the centre's service test calls (拨测), kept apart from the tickets so
 *   that no unit can tell them from real ones;
 * - supervision.key_tasks, task_indicators, task_reports: key-task supervision (督查督办系统);
 * - dispatch.unit_orders and ticket.ticket_orders: the units' desks' and the ledger's copies of the
 *   orders (from supervision's events);
 * - ticket_facts gains what the assessment and the triggers read (reply overdue, refused returns,
 *   the rectification round, the title and kind for the analysis).
 */
export class Supervision1763970000000 implements MigrationInterface {
  name = 'Supervision1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision.events (
        event_id uuid PRIMARY KEY,
        subject_id text NOT NULL,
        type text NOT NULL,
        actor jsonb NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX supervision_events_subject ON supervision.events (subject_id, occurred_at)`);
    await q.query(`
      CREATE TABLE supervision.orders (
        id uuid PRIMARY KEY,
        source_key text UNIQUE,
        kind text NOT NULL CHECK (kind IN ('reminder','order')),
        trigger text NOT NULL,
        stage text NOT NULL,
        ticket_no text,
        task_id uuid,
        unit_id text NOT NULL,
        instruction text NOT NULL,
        raised_by text NOT NULL,
        raised_at timestamptz NOT NULL,
        respond_by timestamptz NOT NULL,
        round integer NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered','closed')),
        reminders integer NOT NULL DEFAULT 0,
        overdue boolean NOT NULL DEFAULT false,
        went_overdue boolean NOT NULL DEFAULT false,
        sent_back integer NOT NULL DEFAULT 0,
        response text,
        answered_by text,
        answered_at timestamptz,
        late boolean,
        review_comment text,
        reviewed_by text,
        reviewed_at timestamptz,
        outcome text,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX orders_unit ON supervision.orders (unit_id, status, respond_by)`);
    await q.query(`CREATE INDEX orders_ticket ON supervision.orders (ticket_no)`);
    await q.query(`CREATE INDEX orders_raised ON supervision.orders (raised_at)`);
    await q.query(`
      CREATE TABLE supervision.escalations (
        id uuid PRIMARY KEY,
        unit_id text NOT NULL,
        measure text NOT NULL,
        grounds jsonb NOT NULL,
        reason text NOT NULL,
        documents jsonb NOT NULL DEFAULT '[]',
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX escalations_unit ON supervision.escalations (unit_id, decided_at)`);
    await q.query(`
      CREATE TABLE supervision.instructions (
        id uuid PRIMARY KEY,
        ticket_no text,
        order_id uuid,
        task_id uuid,
        unit_id text NOT NULL,
        leader_name text NOT NULL,
        leader_level text NOT NULL,
        content text NOT NULL,
        issued_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        raised_order_id uuid
      )`);
    await q.query(`CREATE INDEX instructions_unit ON supervision.instructions (unit_id, issued_at)`);
    await q.query(`
      CREATE TABLE supervision.instruction_views (
        instruction_id uuid NOT NULL REFERENCES supervision.instructions(id),
        user_id text NOT NULL,
        role text NOT NULL,
        viewed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX instruction_views_by ON supervision.instruction_views (instruction_id, viewed_at)`,
    );
    await q.query(`
      CREATE TABLE supervision.assessment_inputs (
        period text NOT NULL,
        unit_id text NOT NULL,
        leadership numeric(4,2) NOT NULL CHECK (leadership BETWEEN 0 AND 15),
        rules numeric(4,2) NOT NULL CHECK (rules BETWEEN 0 AND 15),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL,
        PRIMARY KEY (period, unit_id)
      )`);
    await q.query(`
      CREATE TABLE supervision.bonuses (
        id uuid PRIMARY KEY,
        unit_id text NOT NULL,
        kind text NOT NULL,
        ref text NOT NULL,
        occurred_on date NOT NULL,
        note text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (unit_id, kind, ref)
      )`);
    await q.query(`
      CREATE TABLE supervision.attitude_complaints (
        ticket_no text PRIMARY KEY,
        unit_id text NOT NULL,
        note text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE supervision.tracked_events (
        key text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('concentrated','persistent')),
        region_code text NOT NULL,
        subject text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        ticket_nos jsonb NOT NULL,
        ticket_count integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE supervision.assessment_publications (
        period text PRIMARY KEY,
        ranking jsonb NOT NULL,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE supervision.test_calls (
        ticket_no text PRIMARY KEY,
        scenario text NOT NULL,
        expected text NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE supervision.key_tasks (
        id uuid PRIMARY KEY,
        source text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        lead_unit_id text NOT NULL,
        assisting_unit_ids text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed_off')),
        closed_off_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE supervision.task_indicators (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES supervision.key_tasks(id),
        name text NOT NULL,
        target text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','reported','closed_off')),
        overdue boolean NOT NULL DEFAULT false,
        percent integer NOT NULL DEFAULT 0,
        closed_off_at timestamptz
      )`);
    await q.query(`CREATE INDEX task_indicators_task ON supervision.task_indicators (task_id)`);
    await q.query(`
      CREATE TABLE supervision.task_reports (
        id uuid PRIMARY KEY,
        indicator_id uuid NOT NULL REFERENCES supervision.task_indicators(id),
        unit_id text NOT NULL,
        progress text NOT NULL,
        percent integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
        reported_by text NOT NULL,
        reported_at timestamptz NOT NULL,
        accepted boolean,
        review_comment text,
        reviewed_by text,
        reviewed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX task_reports_indicator ON supervision.task_reports (indicator_id, reported_at)`,
    );
    await q.query(`
      CREATE TABLE dispatch.unit_orders (
        order_id uuid PRIMARY KEY,
        unit_id text NOT NULL,
        ticket_no text,
        kind text NOT NULL,
        trigger text NOT NULL,
        instruction text NOT NULL,
        respond_by timestamptz NOT NULL,
        round integer NOT NULL DEFAULT 1,
        status text NOT NULL,
        overdue boolean NOT NULL DEFAULT false,
        raised_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX unit_orders_ticket ON dispatch.unit_orders (ticket_no, unit_id)`);
    await q.query(`CREATE TABLE ticket.ticket_orders (LIKE dispatch.unit_orders INCLUDING ALL)`);
    await q.query(`ALTER TABLE supervision.ticket_facts
      ADD COLUMN reply_overdue_at timestamptz,
      ADD COLUMN refused_returns integer NOT NULL DEFAULT 0,
      ADD COLUMN rectifying boolean NOT NULL DEFAULT false,
      ADD COLUMN title text,
      ADD COLUMN kind text,
      ADD COLUMN channel text`);
    await q.query(
      `CREATE INDEX ticket_facts_unit_due ON supervision.ticket_facts (unit_id, complete_due_at)`,
    );
    await q.query(`CREATE INDEX ticket_facts_created ON supervision.ticket_facts (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX supervision.ticket_facts_created`);
    await q.query(`DROP INDEX supervision.ticket_facts_unit_due`);
    await q.query(`ALTER TABLE supervision.ticket_facts DROP COLUMN reply_overdue_at, DROP COLUMN refused_returns,
      DROP COLUMN rectifying, DROP COLUMN title, DROP COLUMN kind, DROP COLUMN channel`);
    await q.query(`DROP TABLE ticket.ticket_orders`);
    await q.query(`DROP TABLE dispatch.unit_orders`);
    await q.query(`DROP TABLE supervision.task_reports`);
    await q.query(`DROP TABLE supervision.task_indicators`);
    await q.query(`DROP TABLE supervision.key_tasks`);
    await q.query(`DROP TABLE supervision.test_calls`);
    await q.query(`DROP TABLE supervision.assessment_publications`);
    await q.query(`DROP TABLE supervision.tracked_events`);
    await q.query(`DROP TABLE supervision.attitude_complaints`);
    await q.query(`DROP TABLE supervision.bonuses`);
    await q.query(`DROP TABLE supervision.assessment_inputs`);
    await q.query(`DROP TABLE supervision.instruction_views`);
    await q.query(`DROP TABLE supervision.instructions`);
    await q.query(`DROP TABLE supervision.escalations`);
    await q.query(`DROP TABLE supervision.orders`);
    await q.query(`DROP TABLE supervision.events`);
  }
}
