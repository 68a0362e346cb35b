import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { amendmentOf, ARCHIVE_DIGEST_VERSION, ArchiveCheck, chinaYearBounds } from '@hotline/shared';
import type { ArchivedRecord, ArchiveVerification } from '@hotline/shared';
import { queryPage } from './page';
import type { RowsPage } from './page';

export interface ArchiveRow {
  year: number;
  digestVersion: number;
  ticketCount: number;
  rootDigest: string;
  sealedBy: string;
  sealedAt: string;
}

export interface ArchiveEntryRow {
  ticketNo: string;
  year: number;
  closedAt: string;
  digest: string;
  /** The digest the record is checked against: its latest amendment's, else `digest`. */
  standingDigest: string;
  amendments: number;
}

export interface ArchiveAmendmentRow {
  ticketNo: string;
  year: number;
  previousDigest: string;
  digest: string;
  reason: string;
  amendedBy: string;
  amendedAt: string;
}

export type AmendResult =
  | { kind: 'amended' | 'already'; amendment: ArchiveAmendmentRow }
  | { kind: 'not_archived' | 'unchanged' | 'record_missing' };

const ARCHIVE = `year, digest_version AS "digestVersion", ticket_count AS "ticketCount",
  root_digest AS "rootDigest", sealed_by AS "sealedBy", sealed_at AS "sealedAt"`;
/** An entry with the digest it stands on (`x`: its latest amendment, if any) and how many it has. */
const ENTRY = `ticket_no AS "ticketNo", year, closed_at AS "closedAt", archive_entries.digest,
  COALESCE(x.digest, archive_entries.digest) AS "standingDigest", COALESCE(x.n, 0)::int AS amendments`;
const LATEST = `LEFT JOIN LATERAL (
    SELECT (array_agg(a.digest ORDER BY a.id DESC))[1] AS digest, count(*) AS n
    FROM records.archive_amendments a WHERE a.ticket_no = archive_entries.ticket_no
  ) x ON x.n > 0`;
const AMENDMENT = `ticket_no AS "ticketNo", year, previous_digest AS "previousDigest", digest, reason,
  amended_by AS "amendedBy", amended_at AS "amendedAt"`;

/**
 * The digest of a year's entries: the SHA-256 of their lines (`ticketNo:digest`) joined by newlines,
 * by ticket number. Hashed as the pages come, so no year is ever one text in memory: a real year
 * holds millions of entries, more than a Postgres text can (1 GB) at about 13 million.
 */
class RootDigest {
  private readonly hash = createHash('sha256');
  count = 0;

  add(entries: readonly { ticketNo: string; digest: string }[]): void {
    for (const e of entries)
      this.hash.update(`${this.count++ === 0 ? '' : '\n'}${e.ticketNo}:${e.digest}`, 'utf8');
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The yearly archive (records.archives, records.archive_entries; append-only). A year is sealed
 * once, under a lock: a second seal of it answers the first. The record's digest is the database's
 * records.record_digest_v1, for sealing and checking alike.
 */
export class ArchiveRepository {
  /** `pageSize`: the entries read at a time when a year is sealed or checked. */
  constructor(
    private readonly ds: DataSource,
    private readonly options: { pageSize?: number; listLimit?: number } = {},
  ) {}

  private get pageSize(): number {
    return this.options.pageSize ?? 5000;
  }

  /** A year's entries a page at a time, by ticket number, each page given to `each`. */
  private async pages<T extends { ticketNo: string }>(
    m: EntityManager,
    sql: (after: string) => [string, unknown[]],
    each: (page: T[]) => void,
  ): Promise<void> {
    for (let after = ''; ;) {
      const [query, params] = sql(after);
      const page: T[] = await m.query(query, params);
      each(page);
      if (page.length < this.pageSize) return;
      after = page[page.length - 1]!.ticketNo;
    }
  }

  private root(m: EntityManager, year: number): Promise<RootDigest> {
    const root = new RootDigest();
    return this.pages<{ ticketNo: string; digest: string }>(
      m,
      (after) => [
        `SELECT ticket_no AS "ticketNo", digest FROM records.archive_entries
         WHERE year = $1 AND ticket_no > $2 ORDER BY ticket_no LIMIT $3`,
        [year, after, this.pageSize],
      ],
      (page) => root.add(page),
    ).then(() => root);
  }

  async seal(year: number, by: string): Promise<{ archive: ArchiveRow; already: boolean }> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('records.archives', 0))`);
      const existing: ArchiveRow[] = await m.query(
        `SELECT ${ARCHIVE} FROM records.archives WHERE year = $1`,
        [year],
      );
      if (existing[0]) return { archive: this.archive(existing[0]), already: true };
      const { from, to } = chinaYearBounds(year);
      // Every ticket closed in the year (its last standing `ticket.closed`), not archived before.
      await m.query(
        `INSERT INTO records.archive_entries (ticket_no, year, closed_at, digest)
         SELECT c.ticket_no, $1, c.closed_at, records.record_digest_v1(c.ticket_no)
         FROM (SELECT e.ticket_no, max(e.occurred_at) AS closed_at
               FROM ticket.ticket_events e JOIN ticket.tickets t USING (ticket_no)
               WHERE t.status = 'closed' AND e.type = 'ticket.closed' AND e.voided_by IS NULL
               GROUP BY e.ticket_no) c
         WHERE c.closed_at >= $2 AND c.closed_at < $3
           AND NOT EXISTS (SELECT 1 FROM records.archive_entries x WHERE x.ticket_no = c.ticket_no)`,
        [year, from, to],
      );
      const root = await this.root(m, year);
      const [row] = await m.query(
        `INSERT INTO records.archives (year, digest_version, ticket_count, root_digest, sealed_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${ARCHIVE}`,
        [year, ARCHIVE_DIGEST_VERSION, root.count, root.hex(), by],
      );
      return { archive: this.archive(row), already: false };
    });
  }

  async list(page: { limit: number; offset: number }): Promise<RowsPage<ArchiveRow>> {
    const { items, total } = await queryPage<ArchiveRow>(
      this.ds,
      { select: ARCHIVE, from: 'FROM records.archives', orderBy: 'year DESC' },
      [],
      page,
    );
    return { items: items.map((a) => this.archive(a)), total };
  }

  async find(year: number): Promise<ArchiveRow | null> {
    const rows: ArchiveRow[] = await this.ds.query(
      `SELECT ${ARCHIVE} FROM records.archives WHERE year = $1`,
      [year],
    );
    return rows[0] ? this.archive(rows[0]) : null;
  }

  async entries(year: number, page: { limit: number; offset: number }): Promise<RowsPage<ArchiveEntryRow>> {
    const { items, total } = await queryPage<ArchiveEntryRow>(
      this.ds,
      { select: ENTRY, from: `FROM records.archive_entries ${LATEST} WHERE year = $1`, orderBy: 'ticket_no' },
      [year],
      page,
    );
    return { items: items.map((e) => ({ ...e, closedAt: new Date(e.closedAt).toISOString() })), total };
  }

  /** The archive entry of one ticket, if its year is sealed. */
  async entryOf(ticketNo: string): Promise<ArchiveEntryRow | null> {
    const rows: ArchiveEntryRow[] = await this.ds.query(
      `SELECT ${ENTRY} FROM records.archive_entries ${LATEST} WHERE ticket_no = $1`,
      [ticketNo],
    );
    return rows[0] ? { ...rows[0], closedAt: new Date(rows[0].closedAt).toISOString() } : null;
  }

  /**
   * The year's records as they stand, by ticket number, a page at a time after `after`: each the
   * text whose SHA-256 is its digest (records.record_v1), so a line of the export checks against
   * the seal by itself.
   */
  async records(year: number, after: string, limit: number): Promise<{ ticketNo: string; record: string }[]> {
    return this.ds.query(
      `SELECT ticket_no AS "ticketNo", records.record_v1(ticket_no) AS record
       FROM records.archive_entries WHERE year = $1 AND ticket_no > $2 ORDER BY ticket_no LIMIT $3`,
      [year, after, limit],
    );
  }

  /**
   * Each sealed record's digest recomputed, a page at a time in one snapshot; and whether the year's
   * entries still give its root.
   */
  async verify(year: number): Promise<(ArchiveVerification & { rootIntact: boolean }) | null> {
    return this.ds.transaction('REPEATABLE READ', async (m) => {
      const [archive]: ArchiveRow[] = await m.query(
        `SELECT ${ARCHIVE} FROM records.archives WHERE year = $1`,
        [year],
      );
      if (!archive) return null;
      const check = new ArchiveCheck(this.options.listLimit);
      const root = new RootDigest();
      await this.pages<ArchivedRecord & { digest: string }>(
        m,
        (after) => [
          `SELECT ticket_no AS "ticketNo", archive_entries.digest, archive_entries.digest AS sealed,
             x.digest AS amended, records.record_digest_v1(ticket_no) AS now
           FROM records.archive_entries ${LATEST}
           WHERE year = $1 AND ticket_no > $2 ORDER BY ticket_no LIMIT $3`,
          [year, after, this.pageSize],
        ],
        (page) => {
          check.add(page);
          root.add(page);
        },
      );
      return {
        ...check.result(),
        rootIntact: root.hex() === archive.rootDigest && root.count === archive.ticketCount,
      };
    });
  }

  /**
   * Enters a sealed record again as it stands now (补充归档), with the reason, under a lock on the
   * ticket so that two at once make one amendment; `amendmentOf` decides whether there is one to make.
   */
  async amend(year: number, ticketNo: string, reason: string, by: string): Promise<AmendResult> {
    return this.ds.transaction(async (m) => {
      await m.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('records.archive_amendments:' || $1, 0))`,
        [ticketNo],
      );
      const [r]: ArchivedRecord[] = await m.query(
        `SELECT ticket_no AS "ticketNo", archive_entries.digest AS sealed, x.digest AS amended,
           records.record_digest_v1(ticket_no) AS now
         FROM records.archive_entries ${LATEST} WHERE year = $1 AND ticket_no = $2`,
        [year, ticketNo],
      );
      if (!r) return { kind: 'not_archived' };
      const decision = amendmentOf(r);
      if (decision.kind === 'unchanged' || decision.kind === 'record_missing') return { kind: decision.kind };
      if (decision.kind === 'already') {
        const [latest] = await m.query(
          `SELECT ${AMENDMENT} FROM records.archive_amendments WHERE ticket_no = $1 ORDER BY id DESC LIMIT 1`,
          [ticketNo],
        );
        return { kind: 'already', amendment: this.amendment(latest) };
      }
      const [row] = await m.query(
        `INSERT INTO records.archive_amendments (ticket_no, year, previous_digest, digest, reason, amended_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${AMENDMENT}`,
        [ticketNo, year, decision.previousDigest, decision.digest, reason, by],
      );
      return { kind: 'amended', amendment: this.amendment(row) };
    });
  }

  /** A sealed year's amendments, the earliest first. */
  async amendments(
    year: number,
    page: { limit: number; offset: number },
  ): Promise<RowsPage<ArchiveAmendmentRow>> {
    const { items, total } = await queryPage<ArchiveAmendmentRow>(
      this.ds,
      { select: AMENDMENT, from: 'FROM records.archive_amendments WHERE year = $1', orderBy: 'id' },
      [year],
      page,
    );
    return { items: items.map((a) => this.amendment(a)), total };
  }

  private amendment(a: ArchiveAmendmentRow): ArchiveAmendmentRow {
    return { ...a, amendedAt: new Date(a.amendedAt).toISOString() };
  }

  private archive(a: ArchiveRow): ArchiveRow {
    return { ...a, sealedAt: new Date(a.sealedAt).toISOString() };
  }
}
