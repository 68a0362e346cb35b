import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hot events (热点事件, RULES §7, SQ art. 12–14) are tracked beside the concentrated and persistent
 * ones: supervision.tracked_events takes the kind `hot`. A hot event is city-wide, so it has no
 * region: `region_code` is null for a hot event and only for one. Its episodes are looked up by
 * subject (a partial index). Down deletes the hot events tracked so far.
 */
export class HotEvents1764040000000 implements MigrationInterface {
  name = 'HotEvents1764040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervision.tracked_events DROP CONSTRAINT tracked_events_kind_check`);
    await q.query(`ALTER TABLE supervision.tracked_events ALTER COLUMN region_code DROP NOT NULL`);
    await q.query(`
      ALTER TABLE supervision.tracked_events
        ADD CONSTRAINT tracked_events_kind_check CHECK (kind IN ('concentrated','persistent','hot')),
        ADD CONSTRAINT tracked_events_region_check CHECK ((kind = 'hot') = (region_code IS NULL))`);
    await q.query(
      `CREATE INDEX tracked_events_hot_subject ON supervision.tracked_events (subject) WHERE kind = 'hot'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX supervision.tracked_events_hot_subject`);
    await q.query(`DELETE FROM supervision.tracked_events WHERE kind = 'hot'`);
    await q.query(`
      ALTER TABLE supervision.tracked_events
        DROP CONSTRAINT tracked_events_region_check,
        DROP CONSTRAINT tracked_events_kind_check`);
    await q.query(`ALTER TABLE supervision.tracked_events ALTER COLUMN region_code SET NOT NULL`);
    await q.query(`
      ALTER TABLE supervision.tracked_events
        ADD CONSTRAINT tracked_events_kind_check CHECK (kind IN ('concentrated','persistent'))`);
  }
}
