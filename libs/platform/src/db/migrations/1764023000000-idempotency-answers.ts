import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key keeps its first request's answer: `answered_at` once that request is done
 * (whatever its outcome), and `answer`, encrypted under the personal-data keys, when it succeeded.
 * A repeat is answered from it even where the operation itself could no longer tell it was a
 * repeat (a callback task done by that very request, a unit's assignment it withdrew).
 */
export class IdempotencyAnswers1764023000000 implements MigrationInterface {
  name = 'IdempotencyAnswers1764023000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE platform.idempotency_keys ADD COLUMN answer text, ADD COLUMN answered_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform.idempotency_keys DROP COLUMN answer, DROP COLUMN answered_at`);
  }
}
