import type { DataSource, EntityManager } from 'typeorm';

/** A page of a list: its rows and how many rows the list has in all. */
export interface RowsPage<T> {
  items: T[];
  total: number;
}

/** A list's query in three parts: what each row shows, where the rows come from, their order. */
export interface ListQuery {
  /** The columns, without `SELECT`. */
  select: string;
  /** `FROM …` with its joins and its `WHERE`, if any. */
  from: string;
  /** The order, without `ORDER BY`; it must make the order total (end on a unique key). */
  orderBy: string;
}

/**
 * One page of a list's rows and the count of all of them (counted without the sort): every list
 * of the platform pages this one way.
 */
export async function queryPage<T>(
  db: Pick<DataSource | EntityManager, 'query'>,
  q: ListQuery,
  params: unknown[],
  page: { limit: number; offset: number },
): Promise<RowsPage<T>> {
  const [{ total }] = await db.query(`SELECT count(*)::int AS total ${q.from}`, params);
  const n = params.length;
  const items: T[] = await db.query(
    `SELECT ${q.select} ${q.from} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, page.limit, page.offset],
  );
  return { items, total };
}

/** An `ILIKE` pattern for text that contains `term` as it is: `%`, `_` and a backslash in it match themselves. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
