import {
  ASSIGNMENT_STATUSES,
  CENTRE_ROLES,
  HANDLING_STATUSES,
  listedUnit,
  mayActOnTicket,
  OPERATION_ACCESS,
  ownActions,
  ownRecordOf,
  ROLES,
  ticketAccessFor,
} from '../index';
import type { Actor, AssignmentRef, AssignmentStatus, Role, TicketAccess } from '../index';

const clerk = (unitId: string | null = 'transport') => ({ role: 'unit_clerk' as const, unitId });
const as = (
  unitId: string,
  status: AssignmentStatus,
  role: 'lead' | 'assisting' = 'lead',
): AssignmentRef => ({
  unitId,
  role,
  status,
});

describe('ticket access follows the assignment', () => {
  const expected: Record<AssignmentStatus, TicketAccess> = {
    dispatched: 'full',
    signed: 'full',
    returned: 'full',
    replied: 'full',
    rectifying: 'full',
    closed: 'full',
    withdrawn: 'own_actions',
  };

  it.each(ASSIGNMENT_STATUSES.flatMap((s) => (['lead', 'assisting'] as const).map((r) => [s, r] as const)))(
    'a unit clerk whose assignment is %s (%s) gets the declared access',
    (status, role) => {
      const assignments = [as('transport', status, role), as('housing', 'signed')];
      expect(ticketAccessFor(clerk(), assignments)).toBe(expected[status]);
      expect(mayActOnTicket(ticketAccessFor(clerk(), assignments))).toBe(expected[status] === 'full');
    },
  );

  it('covers every assignment status (a new status must be decided here)', () => {
    expect([...ASSIGNMENT_STATUSES].sort()).toEqual(Object.keys(expected).sort());
    expect(HANDLING_STATUSES).not.toContain('withdrawn');
  });

  it('gives a unit nothing of a ticket never assigned to it', () => {
    expect(ticketAccessFor(clerk(), [as('housing', 'signed'), as('market', 'withdrawn')])).toBe('none');
    expect(ticketAccessFor(clerk(), [])).toBe('none');
  });

  it('gives a clerk without a unit nothing', () => {
    expect(ticketAccessFor(clerk(null), [as('transport', 'signed')])).toBe('none');
  });

  it('full wins when the unit holds the ticket again after a withdrawal', () => {
    expect(ticketAccessFor(clerk(), [as('transport', 'withdrawn'), as('transport', 'dispatched')])).toBe(
      'full',
    );
  });

  it.each(ROLES.map((r) => [r] as const))('role %s: the centre sees every ticket, others none', (role) => {
    const want: TicketAccess = CENTRE_ROLES.includes(role) ? 'full' : 'none';
    expect(ticketAccessFor({ role, unitId: null }, [as('transport', 'signed')])).toBe(want);
    expect(ticketAccessFor({ role, unitId: null }, [])).toBe(CENTRE_ROLES.includes(role) ? 'full' : 'none');
  });

  it('an unknown role (not yet written down here) sees nothing', () => {
    expect(
      ticketAccessFor({ role: 'auditor' as Role, unitId: 'transport' }, [as('transport', 'signed')]),
    ).toBe('none');
  });

  it('keeps only the events the unit authored, and only the assignment fields of the row', () => {
    const e = (actor: Actor, type: string) => ({ actor, type });
    const events = [
      e({ kind: 'user', userId: 'op', role: 'operator' }, 'created'),
      e({ kind: 'system' }, 'dispatched'),
      e({ kind: 'user', userId: 'c1', role: 'unit_clerk', unitId: 'transport' }, 'returned'),
      e({ kind: 'user', userId: 'c2', role: 'unit_clerk', unitId: 'housing' }, 'signed'),
    ];
    expect(ownActions({ unitId: 'transport' }, events).map((x) => x.type)).toEqual(['returned']);
    expect(ownActions({ unitId: null }, events)).toEqual([]);
    const row = {
      ticketNo: '20261123000001',
      unitId: 'transport',
      role: 'lead',
      assignmentStatus: 'withdrawn',
      dispatchedAt: 'a',
      signDueAt: 'b',
      completeDueAt: 'c',
      returnWindowEndsAt: 'd',
      signedAt: null,
      repliedAt: null,
      title: '路面破损',
      content: '中山路',
      address: 'x',
      complainantName: '张三',
      complainantPhone: '13800138000',
      status: 'dispatched',
    };
    const own = ownRecordOf(row);
    expect(Object.keys(own)).not.toEqual(expect.arrayContaining(['title']));
    for (const f of ['title', 'content', 'address', 'complainantName', 'complainantPhone', 'status'])
      expect(own).not.toHaveProperty(f);
    // The deadlines it was held to are its own record.
    expect(own).toMatchObject({ signDueAt: 'b', completeDueAt: 'c', returnWindowEndsAt: 'd' });
  });
});

describe('the declared operation access table', () => {
  it('names only known roles, and a ticket scope only for paths with a ticket', () => {
    for (const [key, rule] of Object.entries(OPERATION_ACCESS)) {
      if (rule.roles !== 'public') for (const r of rule.roles) expect(ROLES).toContain(r);
      expect([key, rule.ticket !== undefined]).toEqual([key, key.includes('{ticketNo}')]);
      expect(key).toMatch(/^(intake|dispatch|evaluation|supervision) (GET|POST|PUT|PATCH|DELETE) \/\S*$/);
    }
  });
});

describe('whose records a list shows', () => {
  it('a clerk its own unit’s whatever it asks; the centre the unit asked, or all', () => {
    expect(listedUnit({ role: 'unit_clerk', unitId: 'transport' }, 'housing')).toBe('transport');
    expect(listedUnit({ role: 'unit_clerk', unitId: 'transport' })).toBe('transport');
    expect(listedUnit({ role: 'unit_clerk', unitId: null }, 'housing')).toBe('-');
    expect(listedUnit({ role: 'supervisor', unitId: null }, 'housing')).toBe('housing');
    expect(listedUnit({ role: 'supervisor', unitId: null })).toBeUndefined();
  });
});
