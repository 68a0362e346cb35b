import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Expert evaluation (专业评价, issue #8):
 * - evaluation.evaluators: the pool; name and phone encrypted (AES-GCM bound to the row and field);
 *   a two-year term (term_end = the first day after it); availability; units they must not evaluate.
 * - evaluation.expert_cases: one per unsatisfied ticket, its status and its final verdict.
 * - evaluation.expert_assignments: each evaluator who held the case (attempt 1, 2, …) and how it ended.
 * - evaluation.expert_objections: a unit's objection recorded by the centre, with its answer.
 * The old evaluation.evaluation_requests (a list without an owner) gives way to expert_cases.
 */
export class ExpertEvaluators1763963000000 implements MigrationInterface {
  name = 'ExpertEvaluators1763963000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.evaluators (
        id uuid PRIMARY KEY,
        user_id text UNIQUE REFERENCES identity.users(id),
        name text NOT NULL,
        phone text NOT NULL,
        nominated_by text NOT NULL,
        source text NOT NULL CHECK (source IN ('npc_deputy','cppcc_member','expert','other')),
        term_start date NOT NULL,
        term_end date NOT NULL,
        available boolean NOT NULL DEFAULT true,
        tied_unit_ids text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (term_end > term_start)
      )`);
    await q.query(`
      CREATE TABLE evaluation.expert_cases (
        ticket_no text PRIMARY KEY,
        unit_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('waiting_for_evaluator','assigned','decided')),
        attempt integer NOT NULL DEFAULT 0,
        verdict text CHECK (verdict IN ('satisfied','basically_satisfied','unsatisfied')),
        reason text,
        requested_at timestamptz NOT NULL,
        decided_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE evaluation.expert_assignments (
        ticket_no text NOT NULL REFERENCES evaluation.expert_cases(ticket_no),
        attempt integer NOT NULL CHECK (attempt >= 1),
        evaluator_id uuid NOT NULL REFERENCES evaluation.evaluators(id),
        assigned_at timestamptz NOT NULL,
        decide_by timestamptz NOT NULL,
        reminded_at timestamptz,
        ended_at timestamptz,
        outcome text NOT NULL DEFAULT 'open'
          CHECK (outcome IN ('open','decided','timed_out','returned_unsuited','unavailable')),
        note text,
        PRIMARY KEY (ticket_no, attempt)
      )`);
    await q.query(
      `CREATE INDEX expert_assignments_evaluator ON evaluation.expert_assignments (evaluator_id, outcome)`,
    );
    await q.query(`
      CREATE TABLE evaluation.expert_objections (
        id uuid PRIMARY KEY,
        ticket_no text NOT NULL REFERENCES evaluation.expert_cases(ticket_no),
        objection text NOT NULL,
        answer text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO evaluation.expert_cases (ticket_no, unit_id, status, requested_at)
      SELECT ticket_no, unit_id, 'waiting_for_evaluator', requested_at FROM evaluation.evaluation_requests
      WHERE unit_id IS NOT NULL ON CONFLICT DO NOTHING`);
    await q.query(`DROP TABLE evaluation.evaluation_requests`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.evaluation_requests (
        ticket_no text PRIMARY KEY, unit_id text, verdict text NOT NULL,
        requested_at timestamptz NOT NULL, status text NOT NULL DEFAULT 'waiting')`);
    await q.query(`DROP TABLE evaluation.expert_objections`);
    await q.query(`DROP TABLE evaluation.expert_assignments`);
    await q.query(`DROP TABLE evaluation.expert_cases`);
    await q.query(`DROP TABLE evaluation.evaluators`);
  }
}
