import { decideCallback, snapshotOf } from '../index';
import type { Decision, RecordCallbackCommand, TicketState, Verdict } from '../index';
import {
  HOUR,
  MIN,
  OPERATOR,
  PARKS,
  SYSTEM,
  T0,
  at,
  dispatched,
  expectCode,
  intake,
  iso,
  next,
  replied,
  review,
  signed,
} from './testing.fixtures';

// SQ: SMS callback waits 24 h, the manual callback within 24 h, rectification within 12 h.
/** The SMS gateway reports its answers as the system. */
const SMS_GATEWAY = SYSTEM;

const types = (d: Decision): string[] => (d.kind === 'changed' ? d.events.map((e) => e.type) : []);

/** Dispatched to roads (with parks assisting) at T0, signed, replied at `t`, approved a minute later: the SMS goes out. */
function smsAsked(from = signed(dispatched([PARKS])), t = T0 + 2 * HOUR): TicketState {
  return next(review(replied(from, t), t + MIN, true));
}

const SMS_AT = T0 + 2 * HOUR + MIN;

const answer = (s: TicketState, t: number, mode: 'sms' | 'manual', verdict: Verdict | null): Decision =>
  decideCallback(
    s,
    {
      mode,
      verdict,
      note: '',
      actor: mode === 'sms' ? SMS_GATEWAY : OPERATOR,
    } satisfies RecordCallbackCommand,
    at(t),
  );

const manualAsked = (): TicketState => next(answer(smsAsked(), SMS_AT + HOUR, 'sms', 'unsatisfied'));
/** Unsatisfied by SMS at SMS_AT + 1 h and at the manual callback at SMS_AT + 2 h. */
const RECTIFY_AT = SMS_AT + 2 * HOUR;
const rectifying = (): TicketState => next(answer(manualAsked(), RECTIFY_AT, 'manual', 'unsatisfied'));
/** The rectified reply approved: the second round's SMS. */
const secondRound = (): TicketState => smsAsked(rectifying(), RECTIFY_AT + 3 * HOUR);
const SECOND_SMS_AT = RECTIFY_AT + 3 * HOUR + MIN;

describe('Callback: whether the problem was actually solved (实际解决), asked on the call', () => {
  const manual = (s: TicketState, cmd: Partial<RecordCallbackCommand>): Decision =>
    decideCallback(
      s,
      { mode: 'manual', verdict: 'satisfied', note: '', actor: OPERATOR, ...cmd },
      at(SMS_AT + 2 * HOUR),
    );

  it('a manual callback that reached the citizen records it; absent when not asked', () => {
    const d = manual(manualAsked(), { resolved: false, verdict: 'basically_satisfied' });
    expect(d.kind === 'changed' && d.events[0]!.data).toMatchObject({ resolved: false, mode: 'manual' });
    const plain = manual(manualAsked(), {});
    expect(plain.kind === 'changed' && 'resolved' in plain.events[0]!.data).toBe(false);
  });

  it('is refused on an SMS answer and on a call that reached nobody', () => {
    expectCode(
      decideCallback(
        smsAsked(),
        { mode: 'sms', verdict: 'satisfied', note: '', actor: SMS_GATEWAY, resolved: true },
        at(SMS_AT + HOUR),
      ),
      'validation_failed',
    );
    expectCode(
      manual(manualAsked(), { verdict: null, unreachable: true, resolved: false }),
      'validation_failed',
    );
  });
});

describe('Callback (回访, RULES §4, SQ art. 10.5): SMS first', () => {
  it('satisfied by SMS: closed as satisfied, every clock stopped', () => {
    const d = answer(smsAsked(), SMS_AT + HOUR, 'sms', 'satisfied');
    const s = next(d);
    expect(s).toMatchObject({
      status: 'closed',
      outcome: 'satisfied',
      closedAt: iso(SMS_AT + HOUR),
      callbackMode: null,
      deadlines: {},
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.callback_answered',
        actor: SMS_GATEWAY,
        data: { mode: 'sms', verdict: 'satisfied', round: 1, note: '' },
      },
      { type: 'ticket.closed', actor: { kind: 'system' }, data: { unitId: 'roads', outcome: 'satisfied' } },
    ]);
  });

  it('basically satisfied by SMS: closed as basically satisfied', () => {
    expect(next(answer(smsAsked(), SMS_AT + HOUR, 'sms', 'basically_satisfied')).outcome).toBe(
      'basically_satisfied',
    );
  });

  it('closed: every unit’s desk shows the ticket closed, assisting units too', () => {
    expect(snapshotOf(next(answer(smsAsked(), SMS_AT + HOUR, 'sms', 'satisfied'))).assignments).toEqual([
      { unitId: 'roads', role: 'lead', status: 'closed' },
      { unitId: 'parks', role: 'assisting', status: 'closed' },
    ]);
  });

  it('unsatisfied by SMS: an operator calls back, within 24 h', () => {
    const d = answer(smsAsked(), SMS_AT + HOUR, 'sms', 'unsatisfied');
    const s = next(d);
    expect(s).toMatchObject({ status: 'callback', callbackMode: 'manual', callbackRound: 1 });
    expect(s.deadlines).toEqual({
      callback_manual: {
        kind: 'callback_manual',
        startAt: iso(SMS_AT + HOUR),
        dueAt: iso(SMS_AT + 25 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
    expect(d.kind === 'changed' && d.events[1]).toEqual({
      type: 'ticket.callback_requested',
      actor: { kind: 'system' },
      data: { mode: 'manual', dueAt: iso(SMS_AT + 25 * HOUR), round: 1 },
    });
  });

  it('no answer reported by the SMS gateway: an operator calls back', () => {
    const d = answer(smsAsked(), SMS_AT + HOUR, 'sms', null);
    expect(types(d)).toEqual(['ticket.callback_answered', 'ticket.callback_requested']);
    expect(next(d).callbackMode).toBe('manual');
  });

  it('refuses a manual callback while the SMS is awaited (action_rejected)', () => {
    expectCode(answer(smsAsked(), SMS_AT + HOUR, 'manual', 'satisfied'), 'action_rejected');
  });

  it('refuses a callback for a ticket nobody is being asked about (action_rejected)', () => {
    const closed = next(answer(smsAsked(), SMS_AT + HOUR, 'sms', 'satisfied'));
    expectCode(answer(closed, SMS_AT + 2 * HOUR, 'sms', 'satisfied'), 'action_rejected');
  });

  it('does not change the state it is given', () => {
    const s = smsAsked();
    const before = JSON.stringify(s);
    answer(s, SMS_AT + HOUR, 'sms', 'unsatisfied');
    answer(s, SMS_AT + HOUR, 'sms', 'satisfied');
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('Manual callback (人工回访)', () => {
  it('satisfied: closed as satisfied', () => {
    const s = next(answer(manualAsked(), RECTIFY_AT, 'manual', 'satisfied'));
    expect(s).toMatchObject({ status: 'closed', outcome: 'satisfied', deadlines: {} });
  });

  it('refuses a manual callback without the citizen’s verdict (validation_failed)', () => {
    expectCode(answer(manualAsked(), RECTIFY_AT, 'manual', null), 'validation_failed');
  });

  it('refuses an SMS answer once the manual callback is under way (action_rejected)', () => {
    expectCode(answer(manualAsked(), RECTIFY_AT, 'sms', 'satisfied'), 'action_rejected');
  });

  it('unsatisfied the first time: the unit must verify and rectify (核实整改) within 12 h', () => {
    const d = answer(manualAsked(), RECTIFY_AT, 'manual', 'unsatisfied');
    const s = next(d);
    expect(s).toMatchObject({
      status: 'rectifying',
      rectificationRound: 1,
      callbackMode: null,
      extensionsGranted: [],
      extensionBaseDueAt: iso(RECTIFY_AT + 12 * HOUR),
    });
    expect(s.deadlines).toEqual({
      complete: {
        kind: 'complete',
        startAt: iso(RECTIFY_AT),
        dueAt: iso(RECTIFY_AT + 12 * HOUR),
        remindersSent: 0,
        overdue: false,
      },
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.callback_answered',
        actor: OPERATOR,
        data: { mode: 'manual', verdict: 'unsatisfied', round: 1, note: '' },
      },
      {
        type: 'ticket.rectification_ordered',
        actor: { kind: 'system' },
        data: { unitId: 'roads', completeDueAt: iso(RECTIFY_AT + 12 * HOUR), round: 1 },
      },
    ]);
    expect(snapshotOf(s).assignments[0]).toEqual({ unitId: 'roads', role: 'lead', status: 'rectifying' });
  });

  it('the rectified reply is reviewed and the citizen asked again: round 2, SMS first', () => {
    const s = secondRound();
    expect(s).toMatchObject({
      status: 'callback',
      callbackMode: 'sms',
      callbackRound: 2,
      rectificationRound: 1,
    });
  });

  it('satisfied in the second round: closed as satisfied', () => {
    expect(next(answer(secondRound(), SECOND_SMS_AT + HOUR, 'sms', 'satisfied')).outcome).toBe('satisfied');
  });

  it('unsatisfied by SMS in the second round: still a manual callback first', () => {
    const s = next(answer(secondRound(), SECOND_SMS_AT + HOUR, 'sms', 'unsatisfied'));
    expect(s).toMatchObject({ status: 'callback', callbackMode: 'manual' });
  });

  it('unsatisfied again after rectification: closed as unsatisfied and handed to the expert evaluators', () => {
    const manual2 = next(answer(secondRound(), SECOND_SMS_AT + HOUR, 'sms', 'unsatisfied'));
    const d = answer(manual2, SECOND_SMS_AT + 2 * HOUR, 'manual', 'unsatisfied');
    expect(next(d)).toMatchObject({
      status: 'closed',
      outcome: 'unsatisfied',
      rectificationRound: 1,
      deadlines: {},
    });
    expect(d.kind === 'changed' && d.events).toEqual([
      {
        type: 'ticket.callback_answered',
        actor: OPERATOR,
        data: { mode: 'manual', verdict: 'unsatisfied', round: 2, note: '' },
      },
      {
        type: 'ticket.evaluation_requested',
        actor: { kind: 'system' },
        data: { unitId: 'roads', verdict: 'unsatisfied' },
      },
      { type: 'ticket.closed', actor: { kind: 'system' }, data: { unitId: 'roads', outcome: 'unsatisfied' } },
    ]);
  });
});

describe('Callback: a ticket no unit handled (answered directly at intake)', () => {
  it('unsatisfied by SMS and by phone: closed unsatisfied, no rectification and no expert evaluation', () => {
    const direct = next(
      intake({ disposition: { type: 'direct_answer', answer: '可登录政务服务网办理。' }, route: null }),
    );
    expect(direct).toMatchObject({ status: 'callback', callbackMode: 'sms', unitId: null });
    const manual = next(answer(direct, T0 + HOUR, 'sms', 'unsatisfied'));
    const d = answer(manual, T0 + 2 * HOUR, 'manual', 'unsatisfied');
    expect(types(d)).toEqual(['ticket.callback_answered', 'ticket.closed']);
    expect(next(d)).toMatchObject({ status: 'closed', outcome: 'unsatisfied', rectificationRound: 0 });
  });
});

describe('Callback: the citizen cannot be reached by phone', () => {
  const unreachable = (s: TicketState, cmd: Partial<RecordCallbackCommand> = {}) =>
    decideCallback(
      s,
      {
        mode: 'manual',
        verdict: null,
        note: '三次不同时段致电均未接通',
        actor: OPERATOR,
        unreachable: true,
        ...cmd,
      },
      at(SMS_AT + 5 * HOUR),
    );

  it('closes the ticket as unreachable: no verdict, no rectification, no expert evaluation', () => {
    const d = unreachable(manualAsked());
    expect(types(d)).toEqual(['ticket.callback_answered', 'ticket.closed']);
    const s = next(d);
    expect(s).toMatchObject({ status: 'closed', outcome: 'unreachable', deadlines: {} });
    expect(d.kind === 'changed' && d.events[1].data).toMatchObject({ outcome: 'unreachable' });
  });

  it('only for a manual callback without a verdict, and only when one is asked', () => {
    expectCode(unreachable(manualAsked(), { verdict: 'satisfied' }), 'validation_failed');
    expectCode(unreachable(smsAsked(), { mode: 'sms' }), 'validation_failed');
    expectCode(unreachable(smsAsked()), 'action_rejected');
  });
});
