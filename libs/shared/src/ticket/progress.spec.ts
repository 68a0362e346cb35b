import { decideProgressNote } from './progress';
import type { AddProgressNoteCommand } from './contract';
import type { TicketState } from './state';
import {
  HOUR,
  PARKS,
  T0,
  at,
  clerk,
  deepFreeze,
  dispatched,
  eventsOf,
  expectCode,
  next,
  replied,
  signed,
} from './testing.fixtures';
import { decideSign } from './sign';

const NOTE = '已联系管线单位现场勘查，定于3月4日施工更换破损井盖。';
const note = (s: TicketState, over: Partial<AddProgressNoteCommand> = {}, t = T0 + HOUR) =>
  decideProgressNote(
    deepFreeze(s),
    { unitId: 'roads', content: NOTE, actor: clerk('roads'), ...over },
    at(t),
  );

describe('Progress note (办理进度, RULES §2)', () => {
  it('records a signed lead unit’s note, changing no status and no deadline', () => {
    const s = signed();
    const d = note(s);
    expect(eventsOf(d)).toEqual([
      { type: 'ticket.progress_noted', actor: clerk('roads'), data: { unitId: 'roads', content: NOTE } },
    ]);
    const after = next(d);
    expect(after.status).toBe('signed');
    expect(after.deadlines).toEqual(s.deadlines);
  });

  it('takes a note in rectification too', () => {
    const s = { ...signed(), status: 'rectifying' as const };
    expect(eventsOf(note(s))).toHaveLength(1);
  });

  it('treats the same note sent again by its unit as already applied; another note is a new one', () => {
    const once = next(note(signed()));
    expect(note(once)).toEqual({ kind: 'unchanged' });
    expect(note(once, { content: `  ${NOTE} ` })).toEqual({ kind: 'unchanged' });
    const second = note(once, { content: '施工已完成一半。' });
    expect(eventsOf(second)).toHaveLength(1);
    // A different note in between: the first one again is a new note.
    expect(eventsOf(note(next(second)))).toHaveLength(1);
  });

  it('refuses an empty note (validation_failed)', () => {
    expectCode(note(signed(), { content: '   ' }), 'validation_failed');
    expectCode(note(signed(), { content: '\u200b\u200b\u200b' }), 'validation_failed');
  });

  it('asks the lead unit to sign first, and refuses a unit the ticket is not with', () => {
    expectCode(note(dispatched()), 'ticket_not_signed');
    expectCode(note(signed(), { unitId: 'lights', actor: clerk('lights') }), 'action_rejected');
  });

  it('refuses once the ticket is no longer being handled: replied, returned, closed', () => {
    expectCode(note(replied()), 'action_rejected');
    expectCode(note({ ...signed(), status: 'returned' }), 'action_rejected');
    expectCode(note({ ...signed(), status: 'closed' }), 'action_rejected');
  });

  it('takes an assisting unit’s note once it has signed, until the lead replies', () => {
    const s = dispatched([PARKS]);
    const parks = { unitId: 'parks', actor: clerk('parks') };
    expectCode(note(s, parks), 'ticket_not_signed');
    const assistingSigned = next(
      decideSign(s, { unitId: 'parks', actor: clerk('parks') }, at(T0 + 5 * 60_000)),
    );
    expect(eventsOf(note(assistingSigned, parks))).toEqual([
      { type: 'ticket.progress_noted', actor: clerk('parks'), data: { unitId: 'parks', content: NOTE } },
    ]);
    const leadReplied = replied(signed(assistingSigned));
    expectCode(note(leadReplied, parks), 'action_rejected');
  });

  it('reads an older state without the field (a run resumed from before notes existed)', () => {
    const { lastProgressNote: _dropped, ...older } = signed();
    expect(eventsOf(note(older as TicketState))).toHaveLength(1);
  });
});
