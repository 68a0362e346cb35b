import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { detailsOf, earliestDue, unitsOn } from '@hotline/shared';
import type { TicketState } from '@hotline/shared';
import { DueAtKey, TicketStatusKey, UnitIdKey, UnitIdsKey } from './search-attributes';

/**
 * What an administrator sees of a ticket in the Temporal Web UI: the search attributes to filter
 * by (status, lead unit, every unit on it, next due time) and the current details, in Chinese (`detailsOf`).
 */
export function publish(s: TicketState): void {
  const dueAt = earliestDue(s);
  upsertSearchAttributes([
    { key: TicketStatusKey, value: s.status },
    { key: UnitIdKey, value: s.unitId },
    // Not a change to the command (the upsert's contents are not compared on replay): no patch.
    { key: UnitIdsKey, value: unitsOn(s) },
    { key: DueAtKey, value: dueAt ? new Date(dueAt) : null },
  ]);
  setCurrentDetails(detailsOf(s));
}
