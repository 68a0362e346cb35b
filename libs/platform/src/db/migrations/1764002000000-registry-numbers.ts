import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registry numbers per channel and year (RULES §1, SZ): `(2026)领001号` for leader-mailbox items,
 * `(2026)网001号` for network items (web, WeChat, app, e-mail, forum). Tickets already registered
 * are numbered in the order they came in, and each counter goes on from there.
 */
export class RegistryNumbers1764002000000 implements MigrationInterface {
  name = 'RegistryNumbers1764002000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket.tickets ADD COLUMN registry_no text`);
    await q.query(
      `CREATE UNIQUE INDEX tickets_registry_no ON ticket.tickets (registry_no) WHERE registry_no IS NOT NULL`,
    );
    const prefix = `CASE channel WHEN 'leader_mailbox' THEN '领'
      WHEN 'web' THEN '网' WHEN 'wechat' THEN '网' WHEN 'app' THEN '网' WHEN 'email' THEN '网' WHEN 'forum' THEN '网' END`;
    await q.query(`
      WITH numbered AS (
        SELECT ticket_no, ${prefix} AS prefix, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY') AS year,
          row_number() OVER (PARTITION BY ${prefix}, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY')
                             ORDER BY created_at, ticket_no) AS n
        FROM ticket.tickets WHERE ${prefix} IS NOT NULL
      ), numbers AS (
        UPDATE ticket.tickets t SET registry_no = '(' || n.year || ')' || n.prefix || lpad(n.n::text, 3, '0') || '号'
        FROM numbered n WHERE t.ticket_no = n.ticket_no
        RETURNING n.prefix, n.year, n.n
      )
      INSERT INTO ticket.counters (scope, value)
      SELECT 'registry:' || prefix || ':' || year, max(n) FROM numbers GROUP BY prefix, year
      ON CONFLICT (scope) DO UPDATE SET value = GREATEST(ticket.counters.value, EXCLUDED.value)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ticket.counters WHERE scope LIKE 'registry:%'`);
    await q.query(`ALTER TABLE ticket.tickets DROP COLUMN registry_no`);
  }
}
