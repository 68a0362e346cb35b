import type { CitedAttachment } from '../records/attachments';
import type { Duration } from '../domain/calendar';
import type { CallbackMode, CoordinationLevel, DeadlineKind, TicketStatus } from '../domain/vocabulary';
import type { TicketWorkflowInput, UnitRef } from './contract';

/**
 * A ticket's state as TicketWorkflow holds it: the one source of truth. Decisions (one module per
 * regulation step, beside this file) read it and return the next state with the events that
 * record the change; every event carries the {@link TicketSnapshot} the workflow decided, and the
 * projections (the ledger, the unit's desk, supervision) copy it.
 */

/** Where a unit stands with a ticket: what its desk shows. */
export const ASSIGNMENT_STATUSES = [
  'dispatched', // on the unit's desk, not signed
  'signed', // the unit is handling it
  'returned', // the unit returned it; the centre decides
  'replied', // the unit replied; the centre reviews it, then the citizen is asked
  'rectifying', // unsatisfied: the unit verifies and rectifies (核实整改)
  'closed',
  'withdrawn', // re-dispatched to another unit after an approved return or the centre's coordination
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** A unit's role on a ticket: the lead, an assisting unit, or a hub's sub-unit (二级承办单位). */
export type AssignmentRole = 'lead' | 'assisting' | 'sub';

export interface AssignmentSnapshot {
  unitId: string;
  role: AssignmentRole;
  status: AssignmentStatus;
}

/** What every event carries: the ticket's state right after the transition it belongs to. */
export interface TicketSnapshot {
  status: TicketStatus;
  /** The lead unit. */
  unitId: string | null;
  /** Every unit that has or had the ticket, with where it stands now. */
  assignments: AssignmentSnapshot[];
  /**
   * The policy set whose limits the ticket's deadlines follow now: the one it started with, or the
   * one an administrator re-applied (`ticket.policy_reapplied`). Absent from events recorded before it.
   */
  policy?: { code: string; version: number };
}

export interface DeadlineState {
  kind: DeadlineKind;
  startAt: string;
  dueAt: string;
  /** How many of the policy's reminder fractions have fired. */
  remindersSent: number;
  overdue: boolean;
}

/** An assisting unit on the ticket: it signs within its own deadline; the lead unit replies. */
export interface AssistingUnitState {
  unitId: string;
  unitName: string;
  dispatchedAt: string;
  signDueAt: string;
  signedAt: string | null;
  late: boolean;
  remindersSent: number;
  overdue: boolean;
}

/**
 * A hub (二级平台: the lead unit, or a sub-unit that is itself a hub) passed the ticket to one of
 * its sub-units on its own desk (RULES §2 multi-level handling). Where that stands:
 * - `dispatched`: on the sub-unit's desk, signed (签收: `signedAt`) or not yet (or passed on by it in
 *   turn);
 * - `replied`: its result awaits the hub leader's review;
 * - `approved`: the leader approved it, and it went on as the hub's result: to the centre as the
 *   lead's reply, or up to the hub's own hub;
 * - `declined`: the sub-unit refused it as not its own (passing it back: supervised when repeated);
 * - `recalled`: the hub passed it to another sub-unit, or took it back, before this one answered (or
 *   a pass above it was declined or recalled).
 */
export const SUB_DISPATCH_STATUSES = ['dispatched', 'replied', 'approved', 'declined', 'recalled'] as const;
export type SubDispatchStatus = (typeof SUB_DISPATCH_STATUSES)[number];

export interface SubDispatchState {
  hubUnitId: string;
  subUnitId: string;
  subUnitName: string;
  /** The sub-unit's own number for it on the hub's second-level desk, if the hub gave one. */
  subTicketNo: string | null;
  status: SubDispatchStatus;
  dispatchedAt: string;
  /** When the sub-unit signed for it (签收, 接单); absent or null: not yet (and passes recorded before signing was asked). */
  signedAt?: string | null;
  /** When it is to sign by (the policy's sign limit from the pass); absent: passes made before it had one. */
  signDueAt?: string;
  /** How many of the policy's reminders of that sign time have gone out (absent: none). */
  signRemindersSent?: number;
  /** It let its sign time pass unsigned (marked once). */
  signOverdue?: boolean;
  /** When the hub wants the result by (absent or null: no time of its own). */
  dueAt?: string | null;
  /** The pass's note, time and files as a whole (passSignature); absent in passes recorded before it. */
  signature?: string;
  /** How many of the policy's reminders of that time have gone out (absent: none). */
  remindersSent?: number;
  /** The sub-unit let that time pass without its result (marked once). */
  overdue?: boolean;
  /**
   * What the hub's last send-back said (its leader and note, as one string), while the result it sent
   * back awaits the sub-unit's next: the same send-back again is already applied. Absent: none.
   */
  sentBack?: string;
  /** The sub-unit's result, as the hub's reply will carry it. */
  result: {
    content: string;
    responsibleDepartment: string | null;
    plannedCompletionDate: string | null;
    isPlan: boolean;
    /** The sub-unit's files its result cites: the hub's reply cites them in turn. */
    attachments?: CitedAttachment[];
  } | null;
}

/**
 * The most levels a ticket goes down (GS 三级/四级承办单位): the lead unit is the first; a sub-unit
 * that is itself a hub (a street with communities) passes it on in turn, down to the fourth.
 */
export const MAX_HANDLING_LEVELS = 4;

type Passes = Pick<TicketState, 'subDispatches'>;
const isOpen = (d: SubDispatchState) => d.status === 'dispatched' || d.status === 'replied';

/**
 * The passes still open (with their sub-unit, or awaiting its hub's review), from the lead's down:
 * each one's sub-unit is the next one's hub. A hub has at most one open pass.
 */
export function openPasses(s: Passes): SubDispatchState[] {
  return (s.subDispatches ?? []).filter(isOpen);
}

/** The lead's pass still open (the top of the chain): the lead waits for its result. */
export function openSubDispatch(s: Passes): SubDispatchState | null {
  return openPasses(s)[0] ?? null;
}

/** The open pass a hub made (it waits for that sub-unit's result), if any. */
export function openPassFrom(s: Passes, hubUnitId: string): SubDispatchState | null {
  return openPasses(s).find((d) => d.hubUnitId === hubUnitId) ?? null;
}

/** The open pass that put the ticket on this sub-unit's desk, if any. */
export function openPassTo(s: Passes, subUnitId: string): SubDispatchState | null {
  return openPasses(s).find((d) => d.subUnitId === subUnitId) ?? null;
}

/** The level a unit handles the ticket at: 1 the lead, 2 its sub-unit, and so on (0: none). */
export function handlingLevel(s: Pick<TicketState, 'subDispatches' | 'unitId'>, unitId: string): number {
  if (s.unitId === unitId) return 1;
  const pass = openPassTo(s, unitId);
  return pass ? handlingLevel(s, pass.hubUnitId) + 1 : 0;
}

export interface TicketState {
  ticketNo: string;
  status: TicketStatus;
  /** No catalog entry matched: the ticket waits for the centre to dispatch it by hand. */
  awaitingManualDispatch: boolean;
  /** Kept at intake for a direct answer that the operator has not given yet. */
  awaitingDirectAnswer: boolean;
  /** How many times the workflow continued as new (history kept bounded). */
  continuedAsNew: number;
  unitId: string | null;
  unitName: string | null;
  /** Lead units the ticket was taken from (an approved return, a coordination): their assignment is withdrawn. */
  formerUnitIds: string[];
  assisting: AssistingUnitState[];
  policy: { code: string; version: number };
  deadlines: Partial<Record<DeadlineKind, DeadlineState>>;
  signDueAt: string | null;
  signedAt: string | null;
  signedLate: boolean;
  returnWindowEndsAt: string | null;
  pendingReturn: { unitId: string; reason: string; suggestedUnit: UnitRef | null } | null;
  pendingExtension: { unitId: string; requested: Duration; reason: string } | null;
  /** Extensions granted in this completion period, in the order granted. */
  extensionsGranted: Duration[];
  /** The completion deadline the extension cap counts from (set at dispatch and rectification). */
  extensionBaseDueAt: string | null;
  repliedAt: string | null;
  replyContent: string | null;
  /** The unit's last reply as a whole (replySignature); absent in state recorded before it. */
  replySignature?: string;
  /**
   * The centre's last decision of each kind (centreDecisionSignature), for the same decision sent
   * again to be answered as already applied; absent in state recorded before it.
   */
  centreDecisions?: Partial<Record<'review' | 'return' | 'extension' | 'coordination', string>>;
  callbackRound: number;
  /** Which callback is awaited. */
  callbackMode: CallbackMode | null;
  rectificationRound: number;
  /** Where a returned ticket goes back to if the centre refuses the return. */
  statusBeforeReturn: TicketStatus | null;
  /** Time left on the completion deadline when the unit replied: a sent-back reply gets it again. */
  remainingAtReplyMs: number;
  /** Deadlines that ran out; the ticket carried on, marked overdue, and supervision was told. */
  overdue: DeadlineKind[];
  outcome: string | null;
  closedAt: string | null;
  /** When the petitioner was told the appeal is accepted (受理告知), where the policy requires it. */
  acceptanceNotifiedAt: string | null;
  /** The latest progress note (办理进度): the same note sent again by its unit is already applied. */
  lastProgressNote: { unitId: string; content: string } | null;
  /** The hub's passes of the ticket to its sub-units, in order (absent in state recorded before them). */
  subDispatches?: SubDispatchState[];
  /** The lead unit the centre designated by coordination (协调): it handles the ticket, no return. */
  designatedUnitId?: string | null;
  /** The coordinations of the ticket so far, by who designated the lead (absent: none recorded). */
  coordinations?: Partial<Record<CoordinationLevel, number>>;
}

/** @deprecated the name before the ticket context had its own folder; use {@link TicketState}. */
export type TicketWorkflowState = TicketState;

export function initialState(input: Pick<TicketWorkflowInput, 'ticketNo' | 'policy'>): TicketState {
  return {
    ticketNo: input.ticketNo,
    status: 'created',
    awaitingManualDispatch: false,
    awaitingDirectAnswer: false,
    continuedAsNew: 0,
    unitId: null,
    unitName: null,
    formerUnitIds: [],
    assisting: [],
    policy: { code: input.policy.code, version: input.policy.version },
    deadlines: {},
    signDueAt: null,
    signedAt: null,
    signedLate: false,
    returnWindowEndsAt: null,
    pendingReturn: null,
    pendingExtension: null,
    extensionsGranted: [],
    extensionBaseDueAt: null,
    repliedAt: null,
    replyContent: null,
    callbackRound: 0,
    callbackMode: null,
    rectificationRound: 0,
    statusBeforeReturn: null,
    remainingAtReplyMs: 0,
    overdue: [],
    outcome: null,
    closedAt: null,
    acceptanceNotifiedAt: null,
    lastProgressNote: null,
    subDispatches: [],
  };
}

/** A run resumed by continue-as-new may carry state of an older version: new fields take defaults. */
export function resumedState(input: TicketWorkflowInput & { resume: TicketState }): TicketState {
  return { ...initialState(input), ...input.resume };
}

/** The lead unit's desk status for each ticket status. */
const LEAD_STATUS: Record<TicketStatus, AssignmentStatus | null> = {
  created: null,
  dispatched: 'dispatched',
  returned: 'returned',
  signed: 'signed',
  replied: 'replied',
  callback: 'replied',
  rectifying: 'rectifying',
  closed: 'closed',
};

/** A sub-unit's desk status for each state of its pass (a pass on its desk: `signed` once it signed). */
const SUB_DESK: Record<SubDispatchStatus, AssignmentStatus> = {
  dispatched: 'dispatched',
  replied: 'replied',
  approved: 'closed', // its part is done; it keeps the ticket on its record
  declined: 'withdrawn',
  recalled: 'withdrawn',
};

/** The snapshot every event carries: the ticket's status and every unit's place on it. */
export function snapshotOf(s: TicketState): TicketSnapshot {
  // Each sub-unit once, as its latest pass left it.
  const subs = new Map<string, SubDispatchState>();
  for (const d of s.subDispatches ?? []) subs.set(d.subUnitId, d);
  // Each unit once, its current role winning (the desk keeps one row a unit). A unit may be a
  // sub-unit before it is the lead (a hub's sub-unit that declined, then dispatched to as lead) as
  // well as after (a former lead its new lead's hub passes the ticket to). The lead is the lead. A
  // former lead whose pass is on its desk, or done and on its record, is that sub-unit; any other
  // former lead is a withdrawn lead, as every former lead is, its withdrawn pass not listed.
  const kept = (id: string) => {
    const d = subs.get(id);
    return d !== undefined && SUB_DESK[d.status] !== 'withdrawn';
  };
  // A former lead the centre named among the assisting units (协调) is an assisting unit.
  const assists = (id: string) => s.assisting.some((a) => a.unitId === id);
  const assignments: AssignmentSnapshot[] = s.formerUnitIds
    .filter((id) => id !== s.unitId && !kept(id) && !assists(id))
    .map((unitId) => ({ unitId, role: 'lead' as const, status: 'withdrawn' as const }));
  const lead = LEAD_STATUS[s.status];
  if (s.unitId !== null && lead !== null) assignments.push({ unitId: s.unitId, role: 'lead', status: lead });
  for (const a of assignments) subs.delete(a.unitId);
  // An assisting unit whose pass was withdrawn (a sub-unit the centre then named to assist) assists.
  for (const a of s.assisting) {
    const d = subs.get(a.unitId);
    if (d !== undefined && SUB_DESK[d.status] === 'withdrawn') subs.delete(a.unitId);
  }
  for (const a of s.assisting)
    assignments.push({
      unitId: a.unitId,
      role: 'assisting',
      status: s.status === 'closed' ? 'closed' : a.signedAt === null ? 'dispatched' : 'signed',
    });
  for (const d of subs.values())
    assignments.push({
      unitId: d.subUnitId,
      role: 'sub',
      status: d.status === 'dispatched' && d.signedAt ? 'signed' : SUB_DESK[d.status],
    });
  return { status: s.status, unitId: s.unitId, assignments, policy: { ...s.policy } };
}

/**
 * The assisting units (协办单位) a snapshot holds, once each, in its order: what the ledger shows
 * as the ticket's assisting units once the workflow has placed it on a desk.
 */
export function assistingOn(s: TicketSnapshot): string[] {
  const ids = s.assignments
    .filter((a) => a.role === 'assisting' && a.status !== 'withdrawn')
    .map((a) => a.unitId);
  return [...new Set(ids)];
}
