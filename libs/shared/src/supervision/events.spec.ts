import { parseSupervisionEvent, SUPERVISION_EVENT_VERSION } from './events';

const raised = {
  id: 'e1',
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
  });
});
