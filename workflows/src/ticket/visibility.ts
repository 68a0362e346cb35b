import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { earliestDue, TICKET_STATUS_LABELS } from '@hotline/shared';
import type { TicketState } from '@hotline/shared';
import { DueAtKey, TicketStatusKey, UnitIdKey } from './search-attributes';

/**
 * What an administrator sees of a ticket in the Temporal Web UI: the search attributes to filter
 * by (status, unit, next due time) and the current details, in Chinese.
 */
export function publish(s: TicketState): void {
  const dueAt = earliestDue(s);
  upsertSearchAttributes([
    { key: TicketStatusKey, value: s.status },
    { key: UnitIdKey, value: s.unitId },
    { key: DueAtKey, value: dueAt ? new Date(dueAt) : null },
  ]);
  const status = s.awaitingManualDispatch
    ? '待人工派单'
    : s.awaitingDirectAnswer
      ? '待直接答复'
      : TICKET_STATUS_LABELS[s.status];
  setCurrentDetails(
    [
      `**工单** ${s.ticketNo}`,
      `**状态** ${status}`,
      `**承办单位** ${s.unitName ?? s.unitId ?? '—'}`,
      `**下一时限** ${dueAt ?? '—'}`,
      s.overdue.length ? `**已超时** ${s.overdue.join(', ')}` : '',
      `**时限政策** ${s.policy.code} v${s.policy.version}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
