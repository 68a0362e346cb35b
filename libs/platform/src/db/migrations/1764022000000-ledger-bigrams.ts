import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's words through their character pairs (bigrams), as pg_bigm does for Chinese and
 * Japanese: most Chinese words are two characters long (噪音, 停水, 物业), and a trigram index
 * cannot find a word shorter than three, so such a search read the text of every ticket (about
 * two thirds of a second for 300,000 tickets on 2 cores, against a fifth of a millisecond through
 * the bigrams).
 *
 * `ticket.ticket_texts.bigrams` holds the distinct pairs of adjacent characters of the text, lower
 * case, none across a line (a field's end and the next one's start), computed by Postgres itself
 * (a generated column: whatever writes the text, its pairs follow), under a GIN index. A word of
 * two characters or more is looked for as its pairs (`@>`, through the index) and then as itself
 * (`ILIKE`, on the rows found); a one-character word reads every text. The trigram index on the
 * whole text is dropped: the pairs find every word it found. The respondent keeps its own.
 */
export class LedgerBigrams1764022000000 implements MigrationInterface {
  name = 'LedgerBigrams1764022000000';

  async up(q: QueryRunner): Promise<void> {
    // Immutable: the pairs of a text never change (a generated column and an index may use it).
    await q.query(`
      CREATE FUNCTION ticket.bigrams_of(t text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        c text[] := regexp_split_to_array(lower(t), '');
        pairs text[] := '{}';
        pair text;
      BEGIN
        FOR i IN 1 .. coalesce(cardinality(c), 0) - 1 LOOP
          pair := c[i] || c[i + 1];
          IF pair !~ '\\s' THEN pairs := pairs || pair; END IF;
        END LOOP;
        RETURN (SELECT coalesce(array_agg(DISTINCT p ORDER BY p), '{}') FROM unnest(pairs) p);
      END $$`);
    await q.query(
      `ALTER TABLE ticket.ticket_texts ADD COLUMN bigrams text[] GENERATED ALWAYS AS (ticket.bigrams_of(body)) STORED`,
    );
    await q.query(
      `CREATE INDEX ticket_texts_bigrams ON ticket.ticket_texts USING gin (bigrams) WITH (fastupdate = off)`,
    );
    await q.query(`DROP INDEX ticket.ticket_texts_body`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ticket_texts_body ON ticket.ticket_texts USING gin (body gin_trgm_ops) WITH (fastupdate = off)`,
    );
    await q.query(`ALTER TABLE ticket.ticket_texts DROP COLUMN bigrams`);
    await q.query(`DROP FUNCTION ticket.bigrams_of(text)`);
  }
}
