import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { SEARCH_ATTRIBUTES } from '@hotline/shared';

const { IndexedValueType } = temporal.api.enums.v1;
const TYPES: Record<(typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES], number> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Makes sure the namespace exists and carries the platform's search attributes, so that an
 * administrator can filter tickets in the Temporal UI. Safe to run again; used by `npm start`
 * against any Temporal (the local dev server or an external one) and by the tests.
 */
export async function ensureNamespace(
  address: string,
  namespace: string,
  opts: { retentionDays?: number; timeoutMs?: number } = {},
): Promise<void> {
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    const exists = async () =>
      connection.workflowService.describeNamespace({ namespace }).then(
        () => true,
        () => false,
      );
    if (!(await exists())) {
      await connection.workflowService
        .registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: {
            seconds: Long.fromNumber((opts.retentionDays ?? 7) * 24 * 3600),
          },
        })
        .catch((err: { code?: number }) => {
          if (err.code !== 6) throw err; // ALREADY_EXISTS: another process won the race
        });
      while (!(await exists())) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} did not appear`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const wanted = Object.entries(SEARCH_ATTRIBUTES);
    const missing = async () => {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      return wanted.filter(([name]) => !(customAttributes ?? {})[name]);
    };
    // A new namespace reaches the operator service's cache a few seconds after it is registered:
    // until then it answers NOT_FOUND, so keep asking.
    for (;;) {
      try {
        const todo = await missing();
        if (todo.length === 0) return;
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(todo.map(([name, type]) => [name, TYPES[type]])),
        });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code !== 5 && code !== 6) throw err; // NOT_FOUND yet, or ALREADY_EXISTS from a racing process
      }
      if (Date.now() > deadline)
        throw new Error(`search attributes not registered in namespace ${namespace}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}
