import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search by a caller's phone (or by a number in the appeal's text) is logged even when it found
 * nothing: a row without a ticket. Before, only the tickets on the page answered were logged, so a
 * search past the last page, or one that found nothing, left no trace while its `total` told
 * whether a guessed number was a caller's.
 */
export class SearchLog1764026000000 implements MigrationInterface {
  name = 'SearchLog1764026000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.personal_data_access ALTER COLUMN ticket_no DROP NOT NULL`);
    await q.query(
      `ALTER TABLE audit.personal_data_access ADD CONSTRAINT personal_data_access_ticket_or_search
       CHECK (ticket_no IS NOT NULL OR action = 'search')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE audit.personal_data_access DROP CONSTRAINT personal_data_access_ticket_or_search`,
    );
    await q.query(`ALTER TABLE audit.personal_data_access ALTER COLUMN ticket_no SET NOT NULL`);
  }
}
