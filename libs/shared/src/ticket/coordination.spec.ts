import type { CoordinateCommand } from './contract';
import { CENTRE_COORDINATIONS, decideCoordination } from './coordination';
import { decideExtensionRequest } from './extension';
import { decideReturn } from './return';
import { decideSign } from './sign';
import { initialState, snapshotOf } from './state';
import type { TicketState } from './state';
import { decideSubDispatch, decideSubSign } from './sub-dispatch';
import {
  at,
  clerk,
  deepFreeze,
  dispatched,
  eventsOf,
  expectCode,
  HOUR,
  iso,
  LIGHTS,
  MIN,
  next,
  PARKS,
  replied,
  REVIEWER,
  ROADS,
  signed,
  T0,
  ticketInput,
} from './testing.fixtures';

const REASON = '经协调，行道树倒伏压占道路由园林绿化局牵头处置，市政工程处协助清障';
const t = T0 + 3 * HOUR;

const coordinate = (s: TicketState, over: Partial<CoordinateCommand> = {}, now = t) =>
  decideCoordination(
    deepFreeze(s),
    { unit: PARKS, assisting: [], reason: REASON, actor: REVIEWER, ...over },
    at(now),
  );

const EAST = { unitId: 'roads-east', unitName: '市政工程处东区养护所' };
/** Signed by roads, then passed to its east section. */
const passedToEast = (): TicketState =>
  next(
    decideSubDispatch(
      signed(),
      { unitId: 'roads', subUnit: EAST, subTicketNo: null, note: '请核实处理', actor: clerk() },
      at(T0 + HOUR),
    ),
  );
/** Signed by roads, which asks for `days` more. */
const askedExtension = (days: number): TicketState =>
  next(
    decideExtensionRequest(
      signed(),
      { unitId: 'roads', requested: { amount: days, unit: 'days' }, reason: '需协调多部门', actor: clerk() },
      at(T0 + HOUR),
    ),
  );

describe('Coordination (协调): the centre designates the lead unit (RULES §2)', () => {
  it('takes a dispatched ticket from its lead unit to the designated one, whose deadlines run from now', () => {
    const d = coordinate(dispatched());
    const s = next(d);
    expect(s).toMatchObject({
      status: 'dispatched',
      unitId: 'parks',
      formerUnitIds: ['roads'],
      signedAt: null,
    });
    expect(s.signDueAt).toBe(iso(t + HOUR));
    expect(s.deadlines.complete?.startAt).toBe(iso(t));
    expect(eventsOf(d).map((e) => e.type)).toEqual(['ticket.coordinated', 'ticket.dispatched']);
    expect(eventsOf(d)[0]).toEqual({
      type: 'ticket.coordinated',
      actor: REVIEWER,
      data: {
        fromUnitId: 'roads',
        unitId: 'parks',
        unitName: PARKS.unitName,
        assistingUnitIds: [],
        recalledSubUnitIds: [],
        withdrawnExtension: null,
        reason: REASON,
        level: 'centre',
      },
    });
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'withdrawn' },
      { unitId: 'parks', role: 'lead', status: 'dispatched' },
    ]);
    // The designated lead may not return it: it gets no return window, on the record or its desk.
    expect(eventsOf(d)[1]).toMatchObject({ type: 'ticket.dispatched', data: { returnWindowEndsAt: null } });
    expect(s.returnWindowEndsAt).toBeNull();
  });

  it('takes a signed ticket too, and may name the former lead among the assisting units (one row each)', () => {
    const d = coordinate(signed(), { assisting: [{ unitId: 'roads', unitName: '市政工程处' }, LIGHTS] });
    const s = next(d);
    expect(eventsOf(d).map((e) => e.type)).toEqual([
      'ticket.coordinated',
      'ticket.dispatched',
      'ticket.assistance_dispatched',
      'ticket.assistance_dispatched',
    ]);
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'parks', role: 'lead', status: 'dispatched' },
      { unitId: 'roads', role: 'assisting', status: 'dispatched' },
      { unitId: 'lights', role: 'assisting', status: 'dispatched' },
    ]);
    // The designated lead signs; the former lead signs as an assisting unit.
    const s2 = next(decideSign(s, { unitId: 'parks', actor: clerk('parks') }, at(t + 10 * MIN)));
    expect(s2.status).toBe('signed');
  });

  it('makes an assisting unit the lead (it is no longer assisting)', () => {
    const s = next(coordinate(dispatched([PARKS])));
    expect(s.assisting).toEqual([]);
    expect(s.unitId).toBe('parks');
  });

  it('drops the former lead’s pending extension request: the new lead starts afresh', () => {
    const asked = askedExtension(1);
    expect(asked.pendingExtension).not.toBeNull();
    expect(next(coordinate(asked)).pendingExtension).toBeNull();
  });

  it('takes the ticket from the sub-units the lead passed it to', () => {
    const passed = passedToEast();
    const subSigned = next(
      decideSubSign(passed, { unitId: EAST.unitId, actor: clerk(EAST.unitId) }, at(T0 + 2 * HOUR)),
    );
    const d = coordinate(subSigned);
    const s = next(d);
    expect(eventsOf(d)[0]).toMatchObject({ data: { recalledSubUnitIds: ['roads-east'] } });
    expect(s.subDispatches?.map((p) => p.status)).toEqual(['recalled']);
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'withdrawn' },
      { unitId: 'parks', role: 'lead', status: 'dispatched' },
      { unitId: 'roads-east', role: 'sub', status: 'withdrawn' },
    ]);
  });

  it('is idempotent: the same designation again is already applied; another one is a new designation', () => {
    const s = next(coordinate(dispatched()));
    expect(coordinate(s, {}, t + MIN)).toEqual({ kind: 'unchanged' });
    expect(coordinate(s, { reason: `  ${REASON} ` }, t + MIN)).toEqual({ kind: 'unchanged' });
    // The same lead with other assisting units or another reason: a new designation, confirming it.
    expect(eventsOf(coordinate(s, { assisting: [LIGHTS] }, t + MIN)).map((e) => e.type)).toEqual([
      'ticket.coordinated',
      'ticket.assistance_dispatched',
    ]);
    // Another lead: a new designation (the centre changed its mind).
    expect(next(coordinate(s, { unit: LIGHTS }, t + MIN))).toMatchObject({
      unitId: 'lights',
      formerUnitIds: ['roads', 'parks'],
    });
  });

  it('refuses a blank reason, and the lead named as assisting', () => {
    expectCode(coordinate(dispatched(), { reason: ' \u200b\n' }), 'validation_failed');
    expectCode(coordinate(dispatched(), { assisting: [PARKS] }), 'validation_failed');
  });

  it('refuses a ticket not being handled: on no desk, returned, replied, closed', () => {
    expectCode(coordinate(initialState(ticketInput())), 'action_rejected');
    const returned = next(
      decideReturn(
        dispatched(),
        { unitId: 'roads', reason: '不属本单位职责', suggestedUnit: PARKS, actor: clerk() },
        at(T0 + HOUR),
      ),
    );
    const r = coordinate(returned);
    expectCode(r, 'action_rejected');
    expect(r.kind === 'rejected' && r.message).toMatch(/decide the return/);
    expectCode(coordinate(replied()), 'action_rejected');
  });
});

describe('coordination, from probing', () => {
  it('keeps the assisting units at 10 at most', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ unitId: `u${i}`, unitName: `单位${i}` }));
    expect(next(coordinate(dispatched(), { assisting: ten })).assisting).toHaveLength(10);
    expectCode(coordinate(dispatched([LIGHTS]), { assisting: ten }), 'validation_failed');
    // The lead named from among them leaves room.
    expect(next(coordinate(dispatched([PARKS]), { assisting: ten })).assisting).toHaveLength(10);
  });

  it('records the former lead’s extension request it withdraws; a closed ticket is ticket_closed', () => {
    const asked = askedExtension(2);
    expect(eventsOf(coordinate(asked))[0]).toMatchObject({
      data: { withdrawnExtension: { unitId: 'roads', requested: { amount: 2, unit: 'days' } } },
    });
    expect(eventsOf(coordinate(signed()))[0]).toMatchObject({ data: { withdrawnExtension: null } });
    expectCode(coordinate({ ...signed(), status: 'closed' }), 'ticket_closed');
  });

  it('lists a sub-unit whose pass it took back, named now to assist, once: as assisting', () => {
    const s = next(coordinate(passedToEast(), { assisting: [EAST] }));
    expect(snapshotOf(s).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'withdrawn' },
      { unitId: 'parks', role: 'lead', status: 'dispatched' },
      { unitId: 'roads-east', role: 'assisting', status: 'dispatched' },
    ]);
  });
});

describe('the lead the centre designated', () => {
  it('handles the ticket: its return is refused', () => {
    const s = next(coordinate(dispatched(), { assisting: [{ unitId: 'roads', unitName: '市政工程处' }] }));
    const r = decideReturn(
      s,
      { unitId: 'parks', reason: '不属本单位职责', suggestedUnit: LIGHTS, actor: clerk('parks') },
      at(t + 10 * MIN),
    );
    expectCode(r, 'action_rejected');
    expect(r.kind === 'rejected' && r.message).toMatch(/designated/);
  });
});

describe('failing the centre’s coordination, the leadership group designates (SZ art. 4, SQ art. 20)', () => {
  const SUPERVISOR = { ...REVIEWER, userId: 'supervisor.wang', role: 'supervisor' as const };
  /** The ticket coordinated in turn to each unit, at the level given (centre unless said). */
  const coordinatedTo = (units: UnitRefLevel[]): TicketState =>
    units.reduce(
      (s, [unit, level], i) => next(coordinate(s, { unit, level, actor: SUPERVISOR }, t + i * MIN)),
      dispatched(),
    );
  type UnitRefLevel = [typeof PARKS, 'centre' | 'leadership_group' | undefined];

  it('lets the centre coordinate twice; the third designation is the group’s', () => {
    expect(CENTRE_COORDINATIONS).toBe(2);
    const twice = coordinatedTo([
      [PARKS, undefined],
      [LIGHTS, 'centre'],
    ]);
    expect(twice.coordinations).toEqual({ centre: 2 });
    const third = coordinate(twice, { unit: ROADS }, t + HOUR);
    expectCode(third, 'coordination_escalation_required');
    expect(third.kind === 'rejected' && third.message).toMatch(/2 times.*leadership_group/);
    const byGroup = coordinate(twice, { unit: ROADS, level: 'leadership_group' }, t + HOUR);
    expect(eventsOf(byGroup)[0]).toMatchObject({
      type: 'ticket.coordinated',
      data: { fromUnitId: 'lights', unitId: 'roads', level: 'leadership_group' },
    });
    expect(next(byGroup)).toMatchObject({
      unitId: 'roads',
      designatedUnitId: 'roads',
      coordinations: { centre: 2, leadership_group: 1 },
    });
  });

  it('after the group’s designation, only the group designates again', () => {
    const s = coordinatedTo([[PARKS, 'leadership_group']]);
    expectCode(coordinate(s, { unit: LIGHTS }, t + HOUR), 'coordination_escalation_required');
    expectCode(
      coordinate(s, { unit: LIGHTS, level: 'centre' }, t + HOUR),
      'coordination_escalation_required',
    );
    expect(next(coordinate(s, { unit: LIGHTS, level: 'leadership_group' }, t + HOUR))).toMatchObject({
      unitId: 'lights',
      coordinations: { leadership_group: 2 },
    });
  });

  it('the group may designate at once, without the centre’s coordination first', () => {
    expect(next(coordinate(dispatched(), { level: 'leadership_group' }))).toMatchObject({
      unitId: 'parks',
      coordinations: { leadership_group: 1 },
    });
  });

  it('the same designation again at another level is not the one made: the group confirms the lead', () => {
    const s = coordinatedTo([[PARKS, 'centre']]);
    expect(coordinate(s, {}, t + MIN)).toEqual({ kind: 'unchanged' });
    const byGroup = coordinate(s, { level: 'leadership_group' }, t + MIN);
    expect(eventsOf(byGroup)).toEqual([
      expect.objectContaining({
        type: 'ticket.coordinated',
        data: expect.objectContaining({ fromUnitId: 'parks', unitId: 'parks', level: 'leadership_group' }),
      }),
    ]);
    expect(next(byGroup)).toMatchObject({
      unitId: 'parks',
      coordinations: { centre: 1, leadership_group: 1 },
    });
  });

  it('confirms the unit that leads: it keeps the ticket, its deadlines, its passes and its extension request', () => {
    const s = askedExtension(2);
    const d = coordinate(s, { unit: ROADS, assisting: [LIGHTS] });
    expect(eventsOf(d)).toEqual([
      {
        type: 'ticket.coordinated',
        actor: REVIEWER,
        data: {
          fromUnitId: 'roads',
          unitId: 'roads',
          unitName: ROADS.unitName,
          assistingUnitIds: ['lights'],
          recalledSubUnitIds: [],
          withdrawnExtension: null,
          reason: REASON,
          level: 'centre',
        },
      },
      {
        type: 'ticket.assistance_dispatched',
        actor: REVIEWER,
        data: { unitId: 'lights', unitName: LIGHTS.unitName, signDueAt: iso(t + HOUR) },
      },
    ]);
    const after = next(d);
    expect(after).toMatchObject({
      status: 'signed',
      unitId: 'roads',
      designatedUnitId: 'roads',
      signedAt: s.signedAt,
      pendingExtension: s.pendingExtension,
      formerUnitIds: [],
    });
    expect(after.deadlines).toEqual(s.deadlines);
    expect(s.returnWindowEndsAt).not.toBeNull();
    expect(after.returnWindowEndsAt).toBeNull();
    // Confirmed, it no longer returns the ticket; its passes stay its own.
    expectCode(
      decideReturn(
        after,
        { unitId: 'roads', reason: '不属本单位职责', suggestedUnit: PARKS, actor: clerk() },
        at(t),
      ),
      'action_rejected',
    );
    const passed = next(coordinate(passedToEast(), { unit: ROADS }));
    expect(passed.subDispatches?.map((p) => p.status)).toEqual(['dispatched']);
  });

  it('does not confirm a hub naming as assisting the sub-unit that holds its pass (one role a unit)', () => {
    const r = coordinate(passedToEast(), { unit: ROADS, assisting: [EAST] });
    expectCode(r, 'validation_failed');
    expect(r.kind === 'rejected' && r.message).toMatch(/roads-east holds a pass/);
    // Moved to another lead, the pass is recalled: the sub-unit may assist the new one.
    expect(
      next(coordinate(passedToEast(), { unit: PARKS, assisting: [EAST] })).assisting.map((a) => a.unitId),
    ).toEqual(['roads-east']);
  });

  it('refuses bad input before the escalation: the lead named as assisting is 400 after two coordinations too', () => {
    const twice = coordinatedTo([
      [PARKS, 'centre'],
      [LIGHTS, 'centre'],
    ]);
    expectCode(coordinate(twice, { unit: ROADS, assisting: [ROADS] }, t + HOUR), 'validation_failed');
  });

  it('a refused escalation records nothing on the ticket', () => {
    const twice = coordinatedTo([
      [PARKS, 'centre'],
      [LIGHTS, 'centre'],
    ]);
    const r = coordinate(twice, { unit: ROADS }, t + HOUR);
    expect(r.kind).toBe('rejected');
    expect(r).not.toHaveProperty('record');
  });

  it('before the amendment (a course recorded earlier): the centre’s, any number of times, no level', () => {
    const old = { amended: { 'coordination-levels': false } };
    const s = [PARKS, LIGHTS, ROADS].reduce(
      (s, unit, i) =>
        next(
          decideCoordination(
            deepFreeze(s),
            { unit, assisting: [], reason: REASON, actor: REVIEWER },
            { ...at(t + i * MIN), ...old },
          ),
        ),
      dispatched(),
    );
    expect(s.unitId).toBe('roads');
    const d = decideCoordination(
      deepFreeze(s),
      { unit: PARKS, assisting: [], reason: REASON, actor: REVIEWER },
      { ...at(t + HOUR), ...old },
    );
    expect(eventsOf(d)[0].data).not.toHaveProperty('level');
    // The unit that leads was refused, not confirmed.
    expectCode(
      decideCoordination(
        deepFreeze(s),
        { unit: ROADS, assisting: [], reason: '另一理由', actor: REVIEWER },
        { ...at(t + HOUR), ...old },
      ),
      'action_rejected',
    );
  });
});
