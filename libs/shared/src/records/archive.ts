/**
 * The yearly archive of tickets' records (RULES §8: "records are archived by year"; 按年度归档).
 * A year is sealed once it is over (China time): every ticket closed in it is entered with the
 * digest (SHA-256) of its whole record as it stood (the ticket, every event, every file's name and
 * SHA-256), and the year with the digest of those digests. Checking a year later recomputes each
 * record's digest: any record changed since (an event added, altered or voided, a file added) is
 * named, so nothing on an archived record changes silently.
 */

/** How a record's digest is computed: records.record_digest_v1 in the database. */
export const ARCHIVE_DIGEST_VERSION = 1;

/** The first year the platform archives: none of its tickets is older. */
export const FIRST_ARCHIVE_YEAR = 2000;

/** The instants a year spans in China time (UTC+8, no daylight saving): from inclusive, to exclusive. */
export function chinaYearBounds(year: number): { from: string; to: string } {
  const at = (y: number) => new Date(Date.UTC(y, 0, 1) - 8 * 3_600_000).toISOString();
  return { from: at(year), to: at(year + 1) };
}

export interface ArchiveYearProblem {
  code: 'validation_failed' | 'archive_year_open';
  detail: string;
}

/** Whether a year may be sealed now: a real year, and over in China time. */
export function archiveYearProblem(year: number, now: Date): ArchiveYearProblem | null {
  if (!Number.isInteger(year) || year < FIRST_ARCHIVE_YEAR || year > 9998)
    return { code: 'validation_failed', detail: `a year from ${FIRST_ARCHIVE_YEAR} on` };
  if (now.getTime() < Date.parse(chinaYearBounds(year).to))
    return {
      code: 'archive_year_open',
      detail: `${year} is not over yet (China time): it is sealed from ${year + 1}`,
    };
  return null;
}

/** How many records a check names in each of its lists at most: the first by ticket number. */
export const ARCHIVE_CHECK_LIST_LIMIT = 1000;

export interface ArchiveVerification {
  checked: number;
  unchanged: number;
  /** How many records' digests are no longer the one they stand on (`checked − unchanged`). */
  changedCount: number;
  /** Those records, the first ARCHIVE_CHECK_LIST_LIMIT by ticket number. */
  changed: string[];
  /** How many records stand on an amendment (补充归档) rather than on their seal. */
  amendedCount: number;
  /** Those records, the first ARCHIVE_CHECK_LIST_LIMIT by ticket number. */
  amended: string[];
}

/** An archived record: the digest sealed, its latest amendment's (null: none), and its digest now. */
export interface ArchivedRecord {
  ticketNo: string;
  sealed: string;
  amended: string | null;
  now: string | null;
}

/** The digest a record is checked against: its latest amendment's, else the one sealed. */
export const standingDigest = (r: { sealed: string; amended: string | null }): string =>
  r.amended ?? r.sealed;

/** The first `limit` ticket numbers of those added, in order, whatever order they come in. */
class FirstNumbers {
  private items: string[] = [];
  count = 0;
  constructor(private readonly limit: number) {}

  add(ticketNo: string): void {
    this.count++;
    this.items.push(ticketNo);
    if (this.items.length >= 2 * this.limit) this.items = this.first();
  }

  first(): string[] {
    return this.items.sort().slice(0, this.limit);
  }
}

/**
 * What a check of a sealed year finds, each record's digest now against the one it stands on,
 * taken a page of records at a time: a real year holds millions, and only the counts and the
 * first records of each list are kept.
 */
export class ArchiveCheck {
  private checked = 0;
  private readonly changed: FirstNumbers;
  private readonly amended: FirstNumbers;

  constructor(limit = ARCHIVE_CHECK_LIST_LIMIT) {
    this.changed = new FirstNumbers(limit);
    this.amended = new FirstNumbers(limit);
  }

  add(entries: readonly ArchivedRecord[]): this {
    for (const e of entries) {
      this.checked++;
      if (e.now !== standingDigest(e)) this.changed.add(e.ticketNo);
      if (e.amended !== null) this.amended.add(e.ticketNo);
    }
    return this;
  }

  result(): ArchiveVerification {
    return {
      checked: this.checked,
      unchanged: this.checked - this.changed.count,
      changedCount: this.changed.count,
      changed: this.changed.first(),
      amendedCount: this.amended.count,
      amended: this.amended.first(),
    };
  }
}

/** What a check of a sealed year finds over these records. */
export const verifyArchive = (entries: readonly ArchivedRecord[]): ArchiveVerification =>
  new ArchiveCheck().add(entries).result();

/**
 * An amendment (补充归档): a sealed record that grew for a reason the centre stands by (a file
 * withdrawn as a wrong upload, or put back; a ledger correction) is entered again with its digest
 * now, the reason, who and when. The seal is never changed; the amendment is added beside it, so
 * the record is checked against its latest amendment from then on and every change stays on the
 * record with its reason. A record as it stands already is not amended: unchanged since its seal,
 * it is refused; unchanged since its latest amendment, that amendment is the answer.
 */
export type ArchiveAmendment =
  { kind: 'amend'; previousDigest: string; digest: string } | { kind: 'already' } | { kind: 'unchanged' };

export function amendmentOf(r: ArchivedRecord): ArchiveAmendment | { kind: 'record_missing' } {
  if (r.now === null) return { kind: 'record_missing' };
  const standing = standingDigest(r);
  if (r.now !== standing) return { kind: 'amend', previousDigest: standing, digest: r.now };
  return r.amended === null ? { kind: 'unchanged' } : { kind: 'already' };
}
