import { parseSupervisionEvent, SUPERVISION_EVENT_VERSION } from './events';

const raised = {
  id: '5b993b7c-960a-464e-8389-6fc175682d36',
  type: 'supervision.order_raised',
  version: SUPERVISION_EVENT_VERSION,
  subjectId: 'o1',
  occurredAt: '2026-11-30T02:00:00.000Z',
  actor: { kind: 'system' },
  data: {
    orderId: 'o1',
    kind: 'order',
    trigger: 'refusal',
    stage: 'pre_closure',
    unitId: 'transport',
    ticketNo: '20261130000001',
    instruction: '请立即签收办理。',
    respondBy: '2026-12-03T02:00:00.000Z',
  },
};

describe('supervision events v1', () => {
  it('accepts a valid event', () => {
    expect(parseSupervisionEvent(raised).type).toBe('supervision.order_raised');
  });
  it('names every bad field', () => {
    expect(() =>
      parseSupervisionEvent({
        ...raised,
        version: 2,
        data: { ...raised.data, kind: 'x', respondBy: 'soon' },
      }),
    ).toThrow(/version.*data\.kind.*data\.respondBy/);
    expect(() => parseSupervisionEvent({ ...raised, type: 'supervision.nothing' })).toThrow(/type/);
    expect(() => parseSupervisionEvent('x')).toThrow(/not an object/);
    // The inbox keys on a UUID: anything else would fail there and hold up the partition.
    expect(() => parseSupervisionEvent({ ...raised, id: 'not-a-uuid' })).toThrow(/: id$/);
  });
});
