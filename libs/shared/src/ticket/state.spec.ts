import {
  TICKET_STATUSES,
  assistingOn,
  decideReturn,
  decideReturnDecision,
  decideSign,
  decideSubDecline,
  decideSubDispatch,
  decideSubReview,
  decideSubSign,
  decideSubUnitReply,
  initialState,
  resumedState,
  snapshotOf,
  unitsOn,
} from '../index';
import type {
  Actor,
  AssignmentStatus,
  TicketState,
  TicketStatus,
  TicketWorkflowInput,
  UnitRef,
} from '../index';
import {
  GOOD_REPLY,
  HOUR,
  MIN,
  SQ,
  T0 as T0_MS,
  at,
  clerk,
  deepFreeze,
  intake,
  iso,
  next,
  ticketInput,
} from './testing.fixtures';

/** The fixtures' T0 as the ISO string a state holds. */
const T0 = iso(T0_MS);

/** A ticket with the roads unit as lead and `over` applied; frozen, as every state a decision gets. */
const ticket = (over: Partial<TicketState> = {}): TicketState =>
  deepFreeze({
    ...initialState({ ticketNo: 'SQ-2026-0001', policy: SQ }),
    unitId: 'roads',
    unitName: '市政工程处',
    ...over,
  });

const assisting = (unitId: string, signedAt: string | null): TicketState['assisting'][number] => ({
  unitId,
  unitName: unitId,
  dispatchedAt: T0,
  signDueAt: T0,
  signedAt,
  late: false,
  remindersSent: 0,
  overdue: false,
});

describe('initialState', () => {
  it('starts created, with no unit, no clock and the policy’s code and version', () => {
    const s = initialState({ ticketNo: 'SQ-2026-0001', policy: SQ });
    expect(s).toMatchObject({
      ticketNo: 'SQ-2026-0001',
      status: 'created',
      unitId: null,
      formerUnitIds: [],
      assisting: [],
      deadlines: {},
      overdue: [],
      callbackRound: 0,
      rectificationRound: 0,
      policy: { code: 'SQ', version: 1 },
    });
  });
});

describe('resumedState: a run continued as new goes on from the state it carried', () => {
  const input = (resume: TicketState): TicketWorkflowInput & { resume: TicketState } => ({
    ...ticketInput({ route: null }),
    resume,
  });

  it('keeps every field of the state carried', () => {
    const carried = ticket({ status: 'signed', continuedAsNew: 2, formerUnitIds: ['parks'] });
    expect(resumedState(input(carried))).toEqual(carried);
  });

  it('gives fields an older version did not have their initial value', () => {
    const { formerUnitIds: _f, overdue: _o, ...older } = ticket({ status: 'signed' });
    const s = resumedState(input(older as TicketState));
    expect(s.formerUnitIds).toEqual([]);
    expect(s.overdue).toEqual([]);
    expect(s.status).toBe('signed');
  });
});

describe('snapshotOf: what every event carries, each unit’s place on the ticket', () => {
  const LEAD: [TicketStatus, AssignmentStatus | null][] = [
    ['created', null],
    ['dispatched', 'dispatched'],
    ['returned', 'returned'],
    ['signed', 'signed'],
    ['replied', 'replied'],
    ['callback', 'replied'],
    ['rectifying', 'rectifying'],
    ['closed', 'closed'],
  ];

  it('covers every ticket status', () => {
    expect(LEAD.map(([status]) => status).sort()).toEqual([...TICKET_STATUSES].sort());
  });

  it.each(LEAD)('a %s ticket shows its lead unit as %s', (status, lead) => {
    expect(snapshotOf(ticket({ status }))).toEqual({
      status,
      unitId: 'roads',
      assignments: lead === null ? [] : [{ unitId: 'roads', role: 'lead', status: lead }],
      policy: { code: 'SQ', version: 1 },
    });
  });

  it('shows no lead unit on a ticket that has none', () => {
    expect(snapshotOf(ticket({ unitId: null, status: 'callback' }))).toEqual({
      status: 'callback',
      unitId: null,
      assignments: [],
      policy: { code: 'SQ', version: 1 },
    });
  });

  it('shows each assisting unit as dispatched until it signs, then signed, whatever the lead unit does', () => {
    const s = ticket({ status: 'replied', assisting: [assisting('parks', null), assisting('lights', T0)] });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'replied' },
      { unitId: 'parks', role: 'assisting', status: 'dispatched' },
      { unitId: 'lights', role: 'assisting', status: 'signed' },
    ]);
  });

  it('closes every assisting unit’s assignment with the ticket, signed or not', () => {
    const s = ticket({ status: 'closed', assisting: [assisting('parks', null), assisting('lights', T0)] });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'closed' },
      { unitId: 'parks', role: 'assisting', status: 'closed' },
      { unitId: 'lights', role: 'assisting', status: 'closed' },
    ]);
  });

  it('shows former lead units (an approved return) as withdrawn, first, and still withdrawn once closed', () => {
    const s = ticket({ status: 'closed', formerUnitIds: ['parks', 'lights'] });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'parks', role: 'lead', status: 'withdrawn' },
      { unitId: 'lights', role: 'lead', status: 'withdrawn' },
      { unitId: 'roads', role: 'lead', status: 'closed' },
    ]);
  });

  it('never shows the current lead unit as withdrawn', () => {
    const s = ticket({ status: 'dispatched', formerUnitIds: ['roads', 'parks'] });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'parks', role: 'lead', status: 'withdrawn' },
      { unitId: 'roads', role: 'lead', status: 'dispatched' },
    ]);
  });

  it('does not change the state it is given', () => {
    const s = ticket({ status: 'closed', formerUnitIds: ['parks'], assisting: [assisting('lights', null)] });
    const before = JSON.stringify(s);
    snapshotOf(s);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('snapshotOf: a unit that was both a sub-unit and the lead appears once, in its current role', () => {
  // The Gulou hub and its sub-unit Ninghai street; the centre decides returns.
  const GULOU: UnitRef = { unitId: 'gulou', unitName: '鼓楼区二级平台' };
  const NINGHAI: UnitRef = { unitId: 'gulou-ninghai', unitName: '宁海路街道' };
  const CENTRE: Actor = { kind: 'user', userId: 'dispatcher-1', role: 'operator' };
  const by = (unitId: string) => ({ unitId, actor: clerk(unitId) });
  /** A ticket the matter catalog routes to the Gulou hub. */
  const gulouLead = () => next(intake({ route: { ...GULOU, catalogEntryId: 'road-repair' } }));
  /** The lead signs, then passes the ticket to `sub` at `t`. */
  const passed = (s: TicketState, sub: UnitRef, t: number) =>
    next(
      decideSubDispatch(
        next(decideSign(s, by(s.unitId!), at(t - MIN))),
        { ...by(s.unitId!), subUnit: sub, subTicketNo: null, note: '请核实处理。' },
        at(t),
      ),
    );
  /** The lead returns the ticket at `t`, naming `to`, and the centre approves a minute later. */
  const handedTo = (s: TicketState, to: UnitRef, t: number) =>
    next(
      decideReturnDecision(
        next(decideReturn(s, { ...by(s.unitId!), reason: '不属本单位职责', suggestedUnit: to }, at(t))),
        { approve: true, redispatchTo: null, note: '同意改派', actor: CENTRE },
        at(t + MIN),
      ),
    );
  const ofUnit = (s: TicketState, unitId: string) =>
    snapshotOf(s).assignments.filter((a) => a.unitId === unitId);

  // Gulou passes the ticket down to Ninghai; Ninghai declines it; Gulou returns it, the centre
  // approves and dispatches it to Ninghai as the lead.
  const gulouPassed = () => passed(gulouLead(), NINGHAI, T0_MS + 10 * MIN);
  const declined = () =>
    next(
      decideSubDecline(
        gulouPassed(),
        { ...by(NINGHAI.unitId), reason: '该事项属区级职责' },
        at(T0_MS + 20 * MIN),
      ),
    );
  const ninghaiLead = () => handedTo(declined(), NINGHAI, T0_MS + 30 * MIN);

  it('a sub-unit that declined, dispatched to as the lead: the lead only', () => {
    const s = ninghaiLead();
    expect(s.unitId).toBe(NINGHAI.unitId);
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: GULOU.unitId, role: 'lead', status: 'withdrawn' },
      { unitId: NINGHAI.unitId, role: 'lead', status: 'dispatched' },
    ]);
    const signedByNinghai = next(decideSign(s, by(NINGHAI.unitId), at(T0_MS + 40 * MIN)));
    expect(ofUnit(signedByNinghai, NINGHAI.unitId)).toEqual([
      { unitId: NINGHAI.unitId, role: 'lead', status: 'signed' },
    ]);
  });

  it('that lead returning it, approved back to the hub: a former lead, withdrawn as every former lead is', () => {
    const back = handedTo(ninghaiLead(), GULOU, T0_MS + 40 * MIN);
    expect(back.unitId).toBe(GULOU.unitId);
    expect(back.formerUnitIds).toEqual([NINGHAI.unitId]);
    expect(snapshotOf(back).assignments).toEqual([
      { unitId: NINGHAI.unitId, role: 'lead', status: 'withdrawn' },
      { unitId: GULOU.unitId, role: 'lead', status: 'dispatched' },
    ]);
    // What the search attribute lists is as before: Ninghai is off the ticket either way.
    expect(unitsOn(back)).toEqual([GULOU.unitId]);
  });

  it('a former lead passed the ticket since: the sub-unit while on its desk and once its part is done', () => {
    // Ninghai had it as lead and returned it to Gulou, which passes it back down to Ninghai.
    const back = handedTo(ninghaiLead(), GULOU, T0_MS + 40 * MIN);
    const again = passed(back, NINGHAI, T0_MS + 50 * MIN);
    expect(ofUnit(again, NINGHAI.unitId)).toEqual([
      { unitId: NINGHAI.unitId, role: 'sub', status: 'dispatched' },
    ]);
    const answered = next(
      decideSubUnitReply(
        next(decideSubSign(again, by(NINGHAI.unitId), at(T0_MS + 55 * MIN))),
        { ...by(NINGHAI.unitId), content: GOOD_REPLY },
        at(T0_MS + HOUR),
      ),
    );
    expect(ofUnit(answered, NINGHAI.unitId)).toEqual([
      { unitId: NINGHAI.unitId, role: 'sub', status: 'replied' },
    ]);
    const approved = next(
      decideSubReview(
        answered,
        { ...by(GULOU.unitId), approve: true, leaderName: '王主任', note: '' },
        at(T0_MS + 2 * HOUR),
      ),
    );
    expect(snapshotOf(approved).assignments).toEqual([
      { unitId: GULOU.unitId, role: 'lead', status: 'replied' },
      { unitId: NINGHAI.unitId, role: 'sub', status: 'closed' },
    ]);
    // Declined instead: off its desk, and shown once, as the former lead it also is.
    const declinedAgain = next(
      decideSubDecline(again, { ...by(NINGHAI.unitId), reason: '仍属区级职责' }, at(T0_MS + 55 * MIN)),
    );
    expect(ofUnit(declinedAgain, NINGHAI.unitId)).toEqual([
      { unitId: NINGHAI.unitId, role: 'lead', status: 'withdrawn' },
    ]);
  });

  it('lists every unit once, whatever the course', () => {
    const back = handedTo(ninghaiLead(), GULOU, T0_MS + 40 * MIN);
    for (const s of [
      gulouPassed(),
      declined(),
      ninghaiLead(),
      back,
      passed(back, NINGHAI, T0_MS + 50 * MIN),
    ]) {
      const ids = snapshotOf(s).assignments.map((a) => a.unitId);
      expect(ids).toEqual([...new Set(ids)]);
    }
  });
});

describe('assistingOn: the assisting units the ledger shows once the ticket is on a desk', () => {
  it('names each assisting unit once, signed, unsigned or closed, and no lead or sub-unit', () => {
    expect(
      assistingOn({
        status: 'signed',
        unitId: 'roads',
        assignments: [
          { unitId: 'parks', role: 'lead', status: 'withdrawn' },
          { unitId: 'roads', role: 'lead', status: 'signed' },
          { unitId: 'lights', role: 'assisting', status: 'dispatched' },
          { unitId: 'water', role: 'assisting', status: 'signed' },
          { unitId: 'lights', role: 'assisting', status: 'signed' },
          { unitId: 'street', role: 'sub', status: 'dispatched' },
        ],
      }),
    ).toEqual(['lights', 'water']);
  });

  it('names none on a ticket with no desk, nor a withdrawn one', () => {
    expect(assistingOn({ status: 'created', unitId: null, assignments: [] })).toEqual([]);
    expect(
      assistingOn({
        status: 'closed',
        unitId: 'roads',
        assignments: [{ unitId: 'parks', role: 'assisting', status: 'withdrawn' }],
      }),
    ).toEqual([]);
  });

  it('reads the snapshot the workflow made of its state', () => {
    const s = ticket({ status: 'dispatched', assisting: [assisting('lights', null)] });
    expect(assistingOn(snapshotOf(s))).toEqual(['lights']);
  });
});
