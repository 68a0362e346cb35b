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

export interface ArchiveVerification {
  checked: number;
  unchanged: number;
  /** Records whose digest is no longer the one sealed, by ticket number. */
  changed: string[];
}

/** What a check of a sealed year finds: each record's digest now against the one sealed. */
export function verifyArchive(
  entries: readonly { ticketNo: string; sealed: string; now: string | null }[],
): ArchiveVerification {
  const changed = entries
    .filter((e) => e.now !== e.sealed)
    .map((e) => e.ticketNo)
    .sort();
  return { checked: entries.length, unchanged: entries.length - changed.length, changed };
}
