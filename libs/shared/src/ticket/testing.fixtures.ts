// Shared fixtures of the ticket decision specs (*.spec.ts beside this file).
// Test code only: libs/shared/tsconfig.json excludes src/**/*.fixtures.ts from the library build,
// and jest's testMatch (*.spec.ts) does not run it as a test file.
import {
  CN_MAINLAND_CALENDAR,
  GS_POLICY,
  SQ_POLICY,
  WorkingCalendar,
  decideIntake,
  decideReply,
  decideReview,
  decideSign,
  initialState,
  resolvePolicy,
} from '../index';
import type {
  Actor,
  Decision,
  DecisionContext,
  ReplyCommand,
  ResolvedPolicy,
  TicketState,
  TicketWorkflowInput,
  UnitRef,
} from '../index';

// Time.
export const MIN = 60 * 1000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Monday 2 March 2026, 09:00 China time: an ordinary working day. */
export const T0 = Date.parse('2026-03-02T09:00:00+08:00');
export const iso = (ms: number): string => new Date(ms).toISOString();

// Policies on the mainland calendar, resolved for a phone complaint about a road in Gulou.
export const calendar = new WorkingCalendar(CN_MAINLAND_CALENDAR);
export const COMPLAINT = {
  regionCode: 'gulou',
  category: 'road',
  kind: 'complaint',
  channel: 'phone',
} as const;
/** SQ: sign 1 h, complete 12 h, return window 12 h, review 4 h, SMS wait and manual callback 24 h each. */
export const SQ = resolvePolicy(SQ_POLICY, COMPLAINT);
/** GS complaints: complete 7 working days, extension cap 3 working days. */
export const GS = resolvePolicy(GS_POLICY, COMPLAINT);
/** What a decision is given: the time now, the ticket's policy (default SQ) and the calendar. */
export const at = (now: number, policy: ResolvedPolicy = SQ): DecisionContext => ({ now, policy, calendar });

// Units and people.
export const ROADS: UnitRef = { unitId: 'roads', unitName: '市政工程处' };
export const PARKS: UnitRef = { unitId: 'parks', unitName: '园林绿化局' };
export const LIGHTS: UnitRef = { unitId: 'lights', unitName: '路灯管理处' };
/** A unit's clerk (default: the roads unit's). */
export const clerk = (unitId = 'roads'): Actor => ({
  kind: 'user',
  userId: `clerk-${unitId}`,
  role: 'unit_clerk',
  unitId,
});
export const REVIEWER: Actor = { kind: 'user', userId: 'reviewer-1', role: 'reviewer' };
export const OPERATOR: Actor = { kind: 'user', userId: 'operator-1', role: 'operator' };
export const SYSTEM: Actor = { kind: 'system' };
/** A reply that meets the closure standard. */
export const GOOD_REPLY = '经现场核实，该路段井盖破损，我处当日更换了新井盖并设置警示标志，道路恢复通行。';

// Decisions.
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The state a decision made, frozen: a later decision that changed it in place would throw. */
export function next(d: Decision): TicketState {
  if (d.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  return deepFreeze(d.state);
}

export const eventsOf = (d: Decision) => (d.kind === 'changed' ? d.events : []);

export const expectCode = (d: Decision, code: string) => expect(d).toMatchObject({ kind: 'rejected', code });

// Tickets.
/** A phone complaint created at T0 that the matter catalog routes to the roads unit, with `over` applied. */
export function ticketInput(over: Partial<TicketWorkflowInput> = {}): TicketWorkflowInput {
  return {
    ticketNo: 'SQ-2026-0001',
    ...COMPLAINT,
    createdAt: iso(T0),
    policy: SQ,
    calendar: CN_MAINLAND_CALENDAR,
    disposition: { type: 'dispatch' },
    route: { ...ROADS, catalogEntryId: 'road-repair' },
    ...over,
  };
}

/** Intake at `now` (default T0) of a ticket created at T0 under `policy` (default SQ). */
export function intake(over: Partial<TicketWorkflowInput> = {}, now = T0, policy = SQ): Decision {
  const input = ticketInput({ policy, ...over });
  return decideIntake(deepFreeze(initialState(input)), input, at(now, policy));
}

/** A phone complaint the matter catalog routes to the roads unit at `t` (default T0). */
export const dispatched = (assisting: UnitRef[] = [], policy = SQ, t = T0): TicketState =>
  next(intake({ createdAt: iso(t), assisting }, t, policy));

/** Signed by `unitId` (default roads) at `t` (default T0 + 10 min). */
export const signed = (s = dispatched(), unitId = 'roads', t = T0 + 10 * MIN): TicketState =>
  next(decideSign(s, { unitId, actor: clerk(unitId) }, at(t)));

/** The roads unit replies at `t`, by default with GOOD_REPLY. */
export const reply = (s: TicketState, t: number, over: Partial<ReplyCommand> = {}): Decision =>
  decideReply(s, { unitId: 'roads', content: GOOD_REPLY, actor: clerk(), ...over }, at(t));

/** Replied at `t` (default T0 + 2 h, 10 h left on the completion deadline). */
export const replied = (s = signed(), t = T0 + 2 * HOUR): TicketState => next(reply(s, t));

/** The reviewer approves the reply at `t`, or sends it back with a note. */
export const review = (
  s: TicketState,
  t: number,
  approve: boolean,
  note = approve ? '' : '请补充整改照片和验收情况',
): Decision => decideReview(s, { approve, note, actor: REVIEWER }, at(t));
