import { TICKET_STATUS_LABELS } from '../domain/glossary';
import { earliestDue } from './clock';
import { openPasses, snapshotOf } from './state';
import type { SubDispatchState, TicketState } from './state';

/** Where a sub-unit's pass stands, as the administrator reads it. */
function passLabel(d: SubDispatchState): string {
  const sign = d.signDueAt ? `，签收时限 ${d.signDueAt}${d.signOverdue ? ' 已超时' : ''}` : '';
  const where = d.status === 'replied' ? '结果待审核' : d.signedAt ? '已签收' : `待签收${sign}`;
  const due = d.dueAt ? `，限 ${d.dueAt}${d.overdue ? ' 已超时' : ''}` : '';
  return `${d.subUnitName}（${where}${due}）`;
}

/**
 * What an administrator reads of a ticket in the Temporal Web UI (the workflow's current details,
 * Markdown, in Chinese; the workflow sets it at every transition): its number and status, who has it (the lead, the assisting units, the
 * chain of sub-units it was passed down to), the next due time, what ran out, and its policy.
 */
export function detailsOf(s: TicketState): string {
  const dueAt = earliestDue(s);
  const status = s.awaitingManualDispatch
    ? '待人工派单'
    : s.awaitingDirectAnswer
      ? '待直接答复'
      : TICKET_STATUS_LABELS[s.status];
  const chain = openPasses(s);
  return [
    `**工单** ${s.ticketNo}`,
    `**状态** ${status}`,
    `**承办单位** ${s.unitName ?? s.unitId ?? '—'}`,
    s.assisting.length ? `**协办单位** ${s.assisting.map((a) => a.unitName).join('、')}` : '',
    chain.length ? `**下级承办** ${chain.map(passLabel).join(' → ')}` : '',
    `**下一时限** ${dueAt ?? '—'}`,
    s.overdue.length ? `**已超时** ${s.overdue.join(', ')}` : '',
    `**时限政策** ${s.policy.code} v${s.policy.version}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * The units on a ticket's desks (the search attribute `UnitIds`, so an administrator finds every
 * ticket a unit has a place on, as lead, assisting unit or sub-unit at any level): each unit whose
 * assignment is not withdrawn, once, in the snapshot's order. A unit passed the ticket and then
 * recalled or declined is off it; one whose part is done keeps it on its record, as its desk does.
 */
export function unitsOn(s: TicketState): string[] {
  const ids = snapshotOf(s)
    .assignments.filter((a) => a.status !== 'withdrawn')
    .map((a) => a.unitId);
  return [...new Set(ids)];
}
