import type { DataSource, EntityManager } from 'typeorm';

/** A page of a list: its rows and how many rows the list has in all. */
export interface RowsPage<T> {
  items: T[];
  total: number;
}

/**
 * One page of a query's rows (`sql` ends with its ORDER BY, without LIMIT or OFFSET) and the count
 * of all its rows, the same query counted: every list of the platform pages this one way.
 */
export async function queryPage<T>(
  db: Pick<DataSource | EntityManager, 'query'>,
  sql: string,
  params: unknown[],
  page: { limit: number; offset: number },
): Promise<RowsPage<T>> {
  const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM (${sql}) AS listed`, params);
  const n = params.length;
  const items: T[] = await db.query(`${sql} LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...params,
    page.limit,
    page.offset,
  ]);
  return { items, total };
}
