import { isCentreStaff } from '../domain/access';
import type { Principal } from '../domain/access';
import type { Actor } from '../domain/events';
import type { AssignmentRole, AssignmentStatus } from '../ticket/state';

/**
 * Access follows the assignment (issue #7). What a caller may see of one ticket:
 *
 * - `full`: the ticket with its content and the complainant (as maskedComplainantView in personal-data.ts allows);
 * - `own_actions`: only the caller's unit's own record: its assignment row and the events its
 *   clerks authored; never the title, the content, the address, the complainant or what other
 *   units did. This is what a unit keeps after a withdrawal (退回 approved, re-dispatched elsewhere);
 * - `none`: nothing, not even that the ticket exists (the service answers 404).
 *
 * The hotline centre sees every ticket in full. A unit clerk sees a ticket in full while it is, or
 * was lawfully, the unit's own to handle (lead or assisting, in any assignment status but
 * `withdrawn`: a closed ticket stays on the record of the unit that closed it); once withdrawn,
 * own actions only; a ticket never assigned to the unit: none. Every other role (the evaluator,
 * and any role added later until it is written down here) sees no ticket through the ticket views.
 */
export type TicketAccess = 'full' | 'own_actions' | 'none';

/** One unit's place on a ticket, as the workflow's snapshot and `dispatch.assignments` hold it. */
export interface AssignmentRef {
  unitId: string;
  role: AssignmentRole;
  status: AssignmentStatus;
}

/** The assignment statuses in which the ticket is (or was lawfully, closed) the unit's to handle. */
export const HANDLING_STATUSES: readonly AssignmentStatus[] = [
  'dispatched',
  'signed',
  'returned',
  'replied',
  'rectifying',
  'closed',
];

export function ticketAccessFor(
  who: Pick<Principal, 'role' | 'unitId'>,
  assignments: readonly AssignmentRef[],
): TicketAccess {
  if (isCentreStaff(who as Principal)) return 'full';
  if (who.role !== 'unit_clerk' || !who.unitId) return 'none';
  const own = assignments.filter((a) => a.unitId === who.unitId);
  if (own.length === 0) return 'none';
  if (own.some((a) => HANDLING_STATUSES.includes(a.status))) return 'full';
  return 'own_actions';
}

/** May the caller act (sign, reply, return, extension) for its unit? Only with full access. */
export function mayActOnTicket(access: TicketAccess): boolean {
  return access === 'full';
}

/**
 * How a unit's desk is ordered: `dispatched`, the newest first (the default); `deadline`, what the
 * unit must do soonest first (the sign deadline of a ticket not yet signed, the reply deadline of
 * one signed or in rectification), tickets with nothing due from the unit after them; `priority`,
 * real-name appeals first (RULES §1: anonymous ones are accepted, real-name ones prioritised, GS),
 * each group in the `deadline` order.
 */
export const DESK_SORTS = ['dispatched', 'deadline', 'priority'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

/** The events of a ticket a unit with `own_actions` keeps: those its own clerks authored. */
export function ownActions<E extends { actor: Actor }>(
  who: Pick<Principal, 'unitId'>,
  events: readonly E[],
): E[] {
  if (!who.unitId) return [];
  return events.filter((e) => e.actor.kind === 'user' && e.actor.unitId === who.unitId);
}

/**
 * The fields of a unit's desk row that `own_actions` keeps: the assignment itself. Everything
 * else (title, content, address, complainant, the ticket's current status and lead unit) is cut.
 */
export const OWN_RECORD_FIELDS = [
  'ticketNo',
  'unitId',
  'role',
  'assignmentStatus',
  'dispatchedAt',
  'signDueAt',
  'completeDueAt',
  'returnWindowEndsAt',
  'signedAt',
  'repliedAt',
] as const;
export type OwnRecordField = (typeof OWN_RECORD_FIELDS)[number];

export function ownRecordOf<T extends Record<OwnRecordField, unknown>>(row: T): Pick<T, OwnRecordField> {
  const out = {} as Pick<T, OwnRecordField>;
  for (const f of OWN_RECORD_FIELDS) out[f] = row[f];
  return out;
}

/**
 * Whose records a list shows (orders, plans, instructions, key tasks): a unit's clerk always its
 * own unit's, whatever it asks for (a clerk without a unit: none); the centre the unit it asks for,
 * or every unit's.
 */
export function listedUnit(who: Pick<Principal, 'role' | 'unitId'>, asked?: string): string | undefined {
  return who.role === 'unit_clerk' ? (who.unitId ?? '-') : asked;
}
