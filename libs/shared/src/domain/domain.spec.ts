import {
  chinaDayKey,
  formatRegistryNo,
  formatTicketNo,
  registryPrefix,
  isTicketNo,
  maskPhone,
  parseTicketEvent,
  selectCatalogEntry,
  EventSchemaError,
  CHANNELS,
  CHANNEL_LABELS,
  APPEAL_KINDS,
  APPEAL_KIND_LABELS,
  TICKET_STATUSES,
  TICKET_STATUS_LABELS,
} from '../index';
import type { CatalogEntry } from '../index';

describe('ticket numbers', () => {
  it('uses the China calendar day, not UTC', () => {
    expect(chinaDayKey(new Date('2026-11-22T16:30:00Z'))).toBe('20261123');
    expect(chinaDayKey(new Date('2026-11-22T15:59:59Z'))).toBe('20261122');
  });
  it('formats and recognises numbers', () => {
    expect(formatTicketNo('20261123', 42)).toBe('20261123000042');
    expect(isTicketNo('20261123000042')).toBe(true);
    expect(isTicketNo('2026112300004')).toBe(false);
    expect(() => formatTicketNo('20261123', 0)).toThrow(RangeError);
    expect(() => formatTicketNo('20261123', 1_000_000)).toThrow(RangeError);
    expect(() => formatTicketNo('2026-11-23', 1)).toThrow(RangeError);
  });
});

describe('matter catalog routing', () => {
  const entries: CatalogEntry[] = [
    { id: 'b', category: 'road', regionCode: null, unitId: 'transport', priority: 10 },
    { id: 'a', category: 'road', regionCode: 'gulou', unitId: 'gulou-street', priority: 10 },
    { id: 'c', category: 'noise', regionCode: null, unitId: 'env-2', priority: 20 },
    { id: 'd', category: 'noise', regionCode: null, unitId: 'env-1', priority: 10 },
  ];
  it('prefers the entry for the region', () => {
    expect(selectCatalogEntry(entries, { category: 'road', regionCode: 'gulou' })?.unitId).toBe(
      'gulou-street',
    );
  });
  it('falls back to the city-wide entry', () => {
    expect(selectCatalogEntry(entries, { category: 'road', regionCode: 'xinan' })?.unitId).toBe('transport');
  });
  it('breaks ties by priority', () => {
    expect(selectCatalogEntry(entries, { category: 'noise', regionCode: 'x' })?.unitId).toBe('env-1');
  });
  it('returns null when no entry matches (ad-hoc dispatch by the centre)', () => {
    expect(selectCatalogEntry(entries, { category: 'tax', regionCode: 'gulou' })).toBeNull();
  });
});

describe('complainant data (the view for each role: security/personal-data.spec.ts)', () => {
  it('masks short numbers entirely', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
});

describe('event schemas', () => {
  const good = {
    id: '6f1c1d3e-0000-4000-8000-000000000001',
    type: 'ticket.signed',
    version: 2,
    ticketNo: '20261123000001',
    seq: 3,
    occurredAt: '2026-11-23T01:00:00.000Z',
    actor: { kind: 'user', userId: 'u1', role: 'unit_clerk', unitId: 'x' },
    data: { unitId: 'x', late: false },
    state: { status: 'signed', unitId: 'x', assignments: [{ unitId: 'x', role: 'lead', status: 'signed' }] },
  };
  it('accepts a valid event', () => {
    expect(parseTicketEvent(good).type).toBe('ticket.signed');
  });
  it('names every bad field', () => {
    expect(() => parseTicketEvent({ ...good, version: 1, seq: 0, data: {} })).toThrow(
      /version \(got 1, know 2\), seq, data.unitId/,
    ); // The inbox keys on a UUID: anything else would fail there and hold up the partition.
    expect(() => parseTicketEvent({ ...good, id: 'probe-not-a-uuid' })).toThrow(/ticket event: id$/);
  });
  it('refuses an event without the state the workflow decided (version 2)', () => {
    const { state: _state, ...withoutState } = good;
    expect(() => parseTicketEvent(withoutState)).toThrow(/state/);
    expect(() =>
      parseTicketEvent({
        ...good,
        state: { ...good.state, assignments: [{ unitId: 'x', role: 'lead', status: 'lost' }] },
      }),
    ).toThrow(/state/);
  });
  it('takes a state with the policy in force and one recorded before it; refuses a malformed policy', () => {
    const policy = { code: 'GS', version: 2 };
    expect(parseTicketEvent({ ...good, state: { ...good.state, policy } }).state.policy).toEqual(policy);
    expect(parseTicketEvent(good).state.policy).toBeUndefined();
    for (const bad of [{ code: '', version: 1 }, { code: 'GS', version: 0 }, { code: 'GS' }, 'GS'])
      expect(() => parseTicketEvent({ ...good, state: { ...good.state, policy: bad } })).toThrow(/state/);
  });
  it('takes a reply recorded before its plan fields, and one with them; refuses them of the wrong type', () => {
    const replied = { ...good, type: 'ticket.replied', data: { unitId: 'x', content: '已修复。' } };
    expect(parseTicketEvent(replied).type).toBe('ticket.replied');
    const withPlan = {
      ...replied,
      data: {
        ...replied.data,
        responsibleDepartment: '养护科',
        isPlan: true,
        plannedCompletionDate: '2026-12-31',
      },
    };
    expect(parseTicketEvent(withPlan).type).toBe('ticket.replied');
    expect(() => parseTicketEvent({ ...withPlan, data: { ...withPlan.data, isPlan: 'yes' } })).toThrow(
      /data.isPlan/,
    );
    const rejectedOld = { ...good, type: 'ticket.reply_rejected', data: { unitId: 'x', defects: ['a'] } };
    expect(parseTicketEvent(rejectedOld).type).toBe('ticket.reply_rejected');
    expect(() => parseTicketEvent({ ...rejectedOld, data: { ...rejectedOld.data, content: 7 } })).toThrow(
      /data.content/,
    );
  });
  it('takes a reply citing files (RULES §8) and one citing none; refuses a malformed citation', () => {
    const replied = { ...good, type: 'ticket.replied', data: { unitId: 'x', content: '已修复。' } };
    const file = {
      attachmentId: '0c7e2d1a-5b44-4f0e-8a7b-3d9e1f2a6c55',
      name: '现场照片.jpg',
      kind: 'evidence',
    };
    expect(parseTicketEvent({ ...replied, data: { ...replied.data, attachments: [file] } }).type).toBe(
      'ticket.replied',
    );
    for (const bad of [[{ ...file, kind: 'selfie' }], [{ name: 'x' }], 'x.pdf'])
      expect(() => parseTicketEvent({ ...replied, data: { ...replied.data, attachments: bad } })).toThrow(
        /data.attachments/,
      );
  });
  it('rejects unknown types and non-objects', () => {
    expect(() => parseTicketEvent({ ...good, type: 'ticket.exploded' })).toThrow(EventSchemaError);
    expect(() => parseTicketEvent('x')).toThrow(EventSchemaError);
  });
});

describe('glossary', () => {
  it('has a Chinese label for every channel, kind and status', () => {
    for (const c of CHANNELS) expect(CHANNEL_LABELS[c]).toMatch(/\p{Script=Han}/u);
    for (const k of APPEAL_KINDS) expect(APPEAL_KIND_LABELS[k]).toMatch(/\p{Script=Han}/u);
    for (const s of TICKET_STATUSES) expect(TICKET_STATUS_LABELS[s]).toMatch(/\p{Script=Han}/u);
  });
});

describe('registry numbers (RULES §1, SZ)', () => {
  it('number leader-mailbox items 领 and network items 网, and no other channel', () => {
    expect(registryPrefix('leader_mailbox')).toBe('领');
    for (const c of ['web', 'wechat', 'app', 'email', 'forum'] as const) expect(registryPrefix(c)).toBe('网');
    for (const c of ['phone', 'sms', 'visit', 'letter', 'upper_platform'] as const)
      expect(registryPrefix(c)).toBeNull();
  });
  it('read (2026)领001号, with more digits past 999', () => {
    expect(formatRegistryNo('2026', '领', 1)).toBe('(2026)领001号');
    expect(formatRegistryNo('2026', '网', 42)).toBe('(2026)网042号');
    expect(formatRegistryNo('2027', '网', 1234)).toBe('(2027)网1234号');
    expect(() => formatRegistryNo('26', '领', 1)).toThrow(RangeError);
    expect(() => formatRegistryNo('2026', '领', 0)).toThrow(RangeError);
    expect(() => formatRegistryNo('2026', '领', 1.5)).toThrow(RangeError);
  });
});
