import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SEARCH_WEIGHTS } from '@hotline/shared';
import type { KnowledgeStatus } from '@hotline/shared';
import { returnedRows } from '../db/returned-rows';
import { containsPattern, queryPage } from './page';
import type { RowsPage } from './page';

export interface KnowledgeVersionRow {
  id: string;
  entryId: string;
  unitId: string;
  title: string;
  content: string;
  keywords: string[];
  /** The day the entry is to be reviewed by (YYYY-MM-DD, China); past it, it is stale. */
  validUntil: string | null;
  status: KnowledgeStatus;
  writtenBy: string;
  writtenAt: string;
  leaderName: string | null;
  reviewedBy: string | null;
  /** The leader reviewed it in person, from their own account (false: a clerk recorded it, or no review yet). */
  reviewedByLeader: boolean;
  reviewedAt: string | null;
  reviewNote: string | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

const COLUMNS = `id, entry_id AS "entryId", unit_id AS "unitId", title, content, keywords,
  to_char(valid_until, 'YYYY-MM-DD') AS "validUntil", status, written_by AS "writtenBy",
  written_at AS "writtenAt", leader_name AS "leaderName", reviewed_by AS "reviewedBy",
  reviewed_by_leader AS "reviewedByLeader", reviewed_at AS "reviewedAt", review_note AS "reviewNote", withdrawn_at AS "withdrawnAt",
  withdrawal_reason AS "withdrawalReason"`;

/** The knowledge base (知识库): the units' entries, each version a row (RULES §5). */
export class KnowledgeRepository {
  constructor(private readonly ds: DataSource) {}

  /** A new entry, or a new version of one of the unit's entries (`entryId`), pending its leader. */
  async write(
    unitId: string,
    by: string,
    v: { entryId?: string; title: string; content: string; keywords: string[]; validUntil: string | null },
  ): Promise<KnowledgeVersionRow> {
    const [row] = await this.ds.query(
      `INSERT INTO knowledge.versions (id, entry_id, unit_id, title, content, keywords, valid_until, written_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING ${COLUMNS}`,
      [randomUUID(), v.entryId ?? randomUUID(), unitId, v.title, v.content, v.keywords, v.validUntil, by],
    );
    return row;
  }

  async version(id: string): Promise<KnowledgeVersionRow | null> {
    const rows: KnowledgeVersionRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM knowledge.versions WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Whether the entry is the unit's (it has a version of the unit's). */
  async entryOf(entryId: string, unitId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM knowledge.versions WHERE entry_id = $1 AND unit_id = $2 LIMIT 1`,
      [entryId, unitId],
    );
    return rows.length > 0;
  }

  /** The published version of an entry, if any. */
  async published(entryId: string): Promise<KnowledgeVersionRow | null> {
    const rows: KnowledgeVersionRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM knowledge.versions WHERE entry_id = $1 AND status = 'published'`,
      [entryId],
    );
    return rows[0] ?? null;
  }

  /**
   * The leader's review of a pending version, in person or recorded by the unit's clerk: approved, it is
   * published and the version it replaces superseded, in one transaction. Null when it was not
   * pending any more.
   */
  async review(
    id: string,
    d: { approve: boolean; leaderName: string; byLeader: boolean; by: string; note: string },
  ): Promise<KnowledgeVersionRow | null> {
    return this.ds.transaction(async (m) => {
      // Every version of the entry, locked: two versions approved at once publish one after the other.
      await m.query(
        `SELECT id FROM knowledge.versions
         WHERE entry_id = (SELECT entry_id FROM knowledge.versions WHERE id = $1) ORDER BY id FOR UPDATE`,
        [id],
      );
      const [v]: KnowledgeVersionRow[] = await m.query(
        `SELECT ${COLUMNS} FROM knowledge.versions WHERE id = $1 AND status = 'pending'`,
        [id],
      );
      if (!v) return null;
      if (d.approve)
        // The version before it goes, and so do the drafts written before it: approved later, an
        // older text would have replaced this one.
        await m.query(
          `UPDATE knowledge.versions SET status = 'superseded'
           WHERE entry_id = $1 AND id <> $2
             AND (status = 'published' OR (status = 'pending'
                  AND (written_at, id) < (SELECT written_at, id FROM knowledge.versions WHERE id = $2)))`,
          [v.entryId, v.id],
        );
      const [row] = returnedRows<KnowledgeVersionRow>(
        await m.query(
          `UPDATE knowledge.versions SET status = $2, leader_name = $3, reviewed_by = $4, reviewed_at = now(),
             review_note = $5, reviewed_by_leader = $6
           WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, d.approve ? 'published' : 'refused', d.leaderName, d.by, d.note, d.byLeader],
        ),
      );
      return row;
    });
  }

  /**
   * An outdated entry leaves the knowledge base: its published version is withdrawn, and the drafts
   * written before the withdrawal with it (approved later, one would have brought the entry back).
   * A version written after it is a new text, for the leader to approve or not.
   */
  async withdraw(entryId: string, reason: string): Promise<KnowledgeVersionRow | null> {
    return this.ds.transaction(async (m) => {
      // The entry's versions locked, as a review locks them: a review approved meanwhile is taken
      // in first (its version then published, and withdrawn here), never missed.
      await m.query(`SELECT id FROM knowledge.versions WHERE entry_id = $1 ORDER BY id FOR UPDATE`, [
        entryId,
      ]);
      const [row] = returnedRows<KnowledgeVersionRow>(
        await m.query(
          `UPDATE knowledge.versions SET status = 'withdrawn', withdrawn_at = now(), withdrawal_reason = $2
           WHERE entry_id = $1 AND status = 'published' RETURNING ${COLUMNS}`,
          [entryId, reason],
        ),
      );
      if (!row) return null;
      await m.query(
        `UPDATE knowledge.versions SET status = 'withdrawn', withdrawn_at = now(), withdrawal_reason = $2
         WHERE entry_id = $1 AND status = 'pending'`,
        [entryId, reason],
      );
      return row;
    });
  }

  /** The entry's version withdrawn last, if any (a repeated withdrawal is answered with it). */
  async lastWithdrawn(entryId: string): Promise<KnowledgeVersionRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM knowledge.versions WHERE entry_id = $1 AND status = 'withdrawn'
       ORDER BY withdrawn_at DESC, reviewed_at IS NULL, written_at DESC LIMIT 1`,
      [entryId],
    );
    return (row as KnowledgeVersionRow | undefined) ?? null;
  }

  /** A unit's versions, newest first. */
  async ofUnit(f: { unitId: string; status?: string; limit: number; offset: number }) {
    return queryPage<KnowledgeVersionRow>(
      this.ds,
      {
        select: COLUMNS,
        from: `FROM knowledge.versions WHERE unit_id = $1 AND ($2::text IS NULL OR status = $2)`,
        orderBy: 'written_at DESC, id',
      },
      [f.unitId, f.status ?? null],
      f,
    );
  }

  /**
   * What operators search: published versions whose title, content or keywords hold every term,
   * the best match first (or only the stale ones: past their review day, for the centre to chase).
   */
  async search(f: {
    terms: string[];
    unitId?: string;
    staleBefore?: string;
    limit: number;
    offset: number;
  }): Promise<RowsPage<KnowledgeVersionRow>> {
    const params: unknown[] = [];
    const where = [`status = 'published'`];
    const rank: string[] = [];
    const w = SEARCH_WEIGHTS;
    for (const t of f.terms) {
      const n = params.push(containsPattern(t));
      where.push(`(title ILIKE $${n} OR content ILIKE $${n} OR array_to_string(keywords, ' ') ILIKE $${n})`);
      rank.push(
        `${w.title} * (title ILIKE $${n})::int`,
        `${w.keywords} * (array_to_string(keywords, ' ') ILIKE $${n})::int`,
        `${w.content} * (content ILIKE $${n})::int`,
      );
    }
    if (f.unitId) where.push(`unit_id = $${params.push(f.unitId)}`);
    if (f.staleBefore) where.push(`valid_until < $${params.push(f.staleBefore)}::date`);
    return queryPage<KnowledgeVersionRow>(
      this.ds,
      {
        select: COLUMNS,
        from: `FROM knowledge.versions WHERE ${where.join(' AND ')}`,
        // The best match first (SEARCH_WEIGHTS), then by title. (No words: by title. A bare 0
        // would not do: ORDER BY reads an integer as a column's position.)
        orderBy: rank.length > 0 ? `${rank.join(' + ')} DESC, title, id` : 'title, id',
      },
      params,
      f,
    );
  }
}
