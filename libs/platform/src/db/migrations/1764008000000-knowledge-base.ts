import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge base (知识库, RULES §5): each version of a unit's entry is a row; an entry has at
 * most one published version, which operators search.
 */
export class KnowledgeBase1764008000000 implements MigrationInterface {
  name = 'KnowledgeBase1764008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS knowledge`);
    await q.query(`
      CREATE TABLE knowledge.versions (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL,
        unit_id text NOT NULL REFERENCES catalog.units(id),
        title text NOT NULL,
        content text NOT NULL,
        keywords text[] NOT NULL DEFAULT '{}',
        valid_until date,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'published', 'refused', 'superseded', 'withdrawn')),
        written_by text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        leader_name text,
        reviewed_by text,
        reviewed_at timestamptz,
        review_note text,
        withdrawn_at timestamptz,
        withdrawal_reason text
      )`);
    await q.query(
      `CREATE UNIQUE INDEX knowledge_one_published ON knowledge.versions (entry_id) WHERE status = 'published'`,
    );
    await q.query(`CREATE INDEX knowledge_by_unit ON knowledge.versions (unit_id, written_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA knowledge CASCADE`);
  }
}
