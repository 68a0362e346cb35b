/** TypeORM answers `UPDATE/DELETE … RETURNING` with [rows, affected count] on Postgres: the rows. */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
