import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A knowledge entry's review says whether the unit's leader gave it in person, from the leader's
 * own account (经领导审核), or a clerk recorded the leader's decision by name (代录), as a
 * sub-unit's result's review does (`byLeader`). Reviews before it: recorded as a clerk's.
 */
export class KnowledgeReviewByLeader1764016000000 implements MigrationInterface {
  name = 'KnowledgeReviewByLeader1764016000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE knowledge.versions ADD COLUMN reviewed_by_leader boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE knowledge.versions DROP COLUMN reviewed_by_leader`);
  }
}
