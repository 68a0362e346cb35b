import { TICKET_STATUSES, assistingOn, initialState, resumedState, snapshotOf } from '../index';
import type { AssignmentStatus, TicketState, TicketStatus, TicketWorkflowInput } from '../index';
import { SQ, T0 as T0_MS, deepFreeze, iso, ticketInput } from './testing.fixtures';

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
    });
  });

  it('shows no lead unit on a ticket that has none', () => {
    expect(snapshotOf(ticket({ unitId: null, status: 'callback' }))).toEqual({
      status: 'callback',
      unitId: null,
      assignments: [],
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
