import { containsPattern } from './page';

/**
 * The tickets whose words hold every one of `words` (title, content, demand, address, respondent)
 * and whose respondent holds `respondent`, any case: a condition on `column` (a ticket number), or
 * null when nothing is asked. It reads `ticket.ticket_texts`: a word of two characters or more
 * through the index of its character pairs (`bigrams`), then as itself; the respondent through
 * its trigram index.
 */
export function ticketTextCondition(
  column: string,
  f: { words?: readonly string[]; respondent?: string },
  params: unknown[],
): string | null {
  const conditions = (f.words ?? []).map((w) => {
    const itself = `x.body ILIKE $${params.push(containsPattern(w))}`;
    // Characters as Postgres counts them (a character beyond the BMP is one, not two).
    if ([...w].length < 2) return itself;
    return `x.bigrams @> ticket.bigrams_of($${params.push(w)}) AND ${itself}`;
  });
  if (f.respondent !== undefined)
    conditions.push(`x.respondent ILIKE $${params.push(containsPattern(f.respondent))}`);
  if (conditions.length === 0) return null;
  return `${column} IN (SELECT x.ticket_no FROM ticket.ticket_texts x WHERE ${conditions.join(' AND ')})`;
}
