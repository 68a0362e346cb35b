import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket no unit handled (answered at intake, on a three-way call, by a special line) that the
 * citizen rated counts in the figures by category and region, and the city's: before, a counted
 * verdict needed a unit, so they were missing from all of them. Supervision's copy takes a verdict
 * without a unit; the tickets already closed that way are listed for the evaluation service to
 * decide again once (it drains the list at start: the events it writes need its Kafka topics).
 */
export class UnitlessSatisfaction1764030000000 implements MigrationInterface {
  name = 'UnitlessSatisfaction1764030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.satisfaction_facts ALTER COLUMN unit_id DROP NOT NULL`);
    await q.query(`CREATE TABLE evaluation.satisfaction_recheck (ticket_no text PRIMARY KEY)`);
    await q.query(`
      INSERT INTO evaluation.satisfaction_recheck (ticket_no)
      SELECT ticket_no FROM evaluation.ticket_satisfaction
      WHERE closed_at IS NOT NULL AND unit_id IS NULL AND counted_verdict IS NULL
        AND (vote_verdict IS NOT NULL OR expert_verdict IS NOT NULL
             OR EXISTS (SELECT 1 FROM jsonb_array_elements(callbacks) c WHERE c->>'verdict' IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.satisfaction_recheck`);
    await q.query(`DELETE FROM supervision.satisfaction_facts WHERE unit_id IS NULL`);
    await q.query(`ALTER TABLE supervision.satisfaction_facts ALTER COLUMN unit_id SET NOT NULL`);
  }
}
