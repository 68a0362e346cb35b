import { envelopeKid, isPiiEnvelope, piiAad, PiiCipher } from './pii-cipher';

/** Anything that runs SQL: a DataSource, an EntityManager or a migration's QueryRunner. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** The encrypted personal-data columns of ticket.tickets, with the field names the AAD binds. */
export const TICKET_PII_COLUMNS = ['complainant_name', 'complainant_phone'] as const;

/** The AAD of a ticket's personal-data column: its ticket number and the column. */
export function ticketPiiAad(ticketNo: string, column: (typeof TICKET_PII_COLUMNS)[number]): string {
  return piiAad(`ticket.tickets/${ticketNo}`, column);
}

export interface SealOptions {
  /** Rows per batch (each batch one transaction when the runner can start one). */
  batchSize?: number;
  /** Recompute the blind index of every row (after HOTLINE_PII_INDEX_KEY changed). */
  reindex?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Brings every ticket's personal data under the active key: plaintext (rows from before
 * encryption) is encrypted, values under an older key are re-encrypted, and the phone's blind
 * index is filled in. Batches by ticket number, so it runs beside live traffic; idempotent (a
 * second run finds nothing to do). Once it reports 0 left, older keys can leave HOTLINE_PII_KEYS.
 */
export async function sealTicketPersonalData(
  db: SqlRunner & { transaction?: <T>(run: (m: SqlRunner) => Promise<T>) => Promise<T> },
  cipher: PiiCipher,
  opts: SealOptions = {},
): Promise<{ updated: number; total: number }> {
  const batchSize = opts.batchSize ?? 500;
  // A value needs work unless it is a v1 envelope under the active key.
  const stale = (col: string) =>
    `(${col} IS NOT NULL AND NOT (${col} LIKE 'v1:%' AND split_part(${col}, ':', 2) = $1))`;
  const needs = `(${stale('complainant_name')} OR ${stale('complainant_phone')}
    OR (complainant_phone IS NOT NULL AND complainant_phone_index IS NULL)
    ${opts.reindex ? 'OR complainant_phone IS NOT NULL' : ''})`;
  const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM ticket.tickets WHERE ${needs}`, [
    cipher.activeKid,
  ]);
  let updated = 0;
  let cursor = '';
  opts.onProgress?.(0, total);
  for (;;) {
    const batch = async (m: SqlRunner): Promise<number> => {
      const rows: { ticket_no: string; complainant_name: string | null; complainant_phone: string | null }[] =
        await m.query(
          `SELECT ticket_no, complainant_name, complainant_phone FROM ticket.tickets
           WHERE ticket_no > $2 AND ${needs} ORDER BY ticket_no LIMIT $3 FOR UPDATE`,
          [cipher.activeKid, cursor, batchSize],
        );
      for (const r of rows) {
        const plain = (col: (typeof TICKET_PII_COLUMNS)[number]): string | null => {
          const v = r[col];
          if (v === null) return null;
          return isPiiEnvelope(v) ? cipher.decrypt(v, ticketPiiAad(r.ticket_no, col)) : v;
        };
        const reseal = (col: (typeof TICKET_PII_COLUMNS)[number], value: string | null) => {
          const v = r[col];
          if (v !== null && envelopeKid(v) === cipher.activeKid) return v; // already current
          return cipher.seal(value, ticketPiiAad(r.ticket_no, col));
        };
        const name = plain('complainant_name');
        const phone = plain('complainant_phone');
        await m.query(
          `UPDATE ticket.tickets SET complainant_name = $2, complainant_phone = $3, complainant_phone_index = $4
           WHERE ticket_no = $1`,
          [
            r.ticket_no,
            reseal('complainant_name', name),
            reseal('complainant_phone', phone),
            cipher.phoneIndex(phone),
          ],
        );
      }
      if (rows.length > 0) cursor = rows[rows.length - 1].ticket_no;
      return rows.length;
    };
    const n = db.transaction ? await db.transaction((m) => batch(m)) : await batch(db);
    updated += n;
    opts.onProgress?.(updated, total);
    if (n < batchSize) break;
  }
  return { updated, total };
}

/** Counts values not yet under the active key (plaintext included): 0 means older keys may go. */
export async function countStalePersonalData(db: SqlRunner, cipher: PiiCipher): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM ticket.tickets
     WHERE (complainant_name IS NOT NULL AND NOT (complainant_name LIKE 'v1:%' AND split_part(complainant_name, ':', 2) = $1))
        OR (complainant_phone IS NOT NULL AND NOT (complainant_phone LIKE 'v1:%' AND split_part(complainant_phone, ':', 2) = $1))`,
    [cipher.activeKid],
  );
  return n;
}

/** Counts plaintext values (rows from before encryption). */
export async function countPlaintextPersonalData(db: SqlRunner): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM ticket.tickets
     WHERE (complainant_name IS NOT NULL AND complainant_name NOT LIKE 'v1:%')
        OR (complainant_phone IS NOT NULL AND complainant_phone NOT LIKE 'v1:%')`,
  );
  return n;
}
