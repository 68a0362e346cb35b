import type { CitedAttachment } from '../records/attachments';
import { decideExtensionRequest } from './extension';
import { decideReturn } from './return';
import { decideSubDispatch, decideSubReply, decideSubReview } from './sub-dispatch';
import {
  at,
  clerk,
  deepFreeze,
  eventsOf,
  GOOD_REPLY,
  HOUR,
  next,
  reply,
  signed,
  T0,
} from './testing.fixtures';

/**
 * RULES §8: a unit's action names the files it rests on (a reply's documents, a pass's approval
 * slip, a return's evidence). The event carries them; an action citing none records its event as
 * before files could be cited (no `attachments` key), so recorded histories read the same.
 */
const SLIP: CitedAttachment = {
  attachmentId: '6b0f7a52-1c1e-4a5e-9d55-2f3b9c8d7e61',
  name: '审批单.pdf',
  kind: 'approval_slip',
};
const PHOTO: CitedAttachment = {
  attachmentId: '0c7e2d1a-5b44-4f0e-8a7b-3d9e1f2a6c55',
  name: '现场照片.jpg',
  kind: 'evidence',
};
const EAST = { unitId: 'roads-east', unitName: '市政工程处东区养护所' };
const t = T0 + HOUR;

describe('an action cites its files (RULES §8)', () => {
  it('a reply carries the files it cites, and none when it cites none', () => {
    expect(eventsOf(reply(signed(), t, { attachments: [PHOTO] }))[0]!.data).toMatchObject({
      attachments: [PHOTO],
    });
    expect(eventsOf(reply(signed(), t))[0]!.data).not.toHaveProperty('attachments');
    expect(eventsOf(reply(signed(), t, { attachments: [] }))[0]!.data).not.toHaveProperty('attachments');
  });

  it('a return and an extension request carry their evidence', () => {
    const returned = decideReturn(
      deepFreeze(signed()),
      {
        unitId: 'roads',
        reason: '不属本单位职责',
        suggestedUnit: null,
        attachments: [PHOTO],
        actor: clerk(),
      },
      at(t),
    );
    expect(eventsOf(returned)[0]).toMatchObject({ type: 'ticket.returned', data: { attachments: [PHOTO] } });
    const asked = decideExtensionRequest(
      deepFreeze(signed()),
      {
        unitId: 'roads',
        requested: { amount: 2, unit: 'days' },
        reason: '需协调管线迁改',
        attachments: [SLIP],
        actor: clerk(),
      },
      at(t),
    );
    expect(eventsOf(asked)[0]).toMatchObject({
      type: 'ticket.extension_requested',
      data: { attachments: [SLIP] },
    });
  });

  it("a pass carries the hub's approval slip; the sub-unit's files go on to the hub's reply once its leader approves", () => {
    const passed = decideSubDispatch(
      deepFreeze(signed()),
      {
        unitId: 'roads',
        subUnit: EAST,
        subTicketNo: null,
        note: '请核实处理',
        attachments: [SLIP],
        actor: clerk(),
      },
      at(t),
    );
    expect(eventsOf(passed)[0]).toMatchObject({
      type: 'ticket.sub_dispatched',
      data: { attachments: [SLIP] },
    });
    const answered = decideSubReply(
      deepFreeze(next(passed)),
      { unitId: EAST.unitId, content: GOOD_REPLY, attachments: [PHOTO], actor: clerk(EAST.unitId) },
      at(t + HOUR),
    );
    expect(eventsOf(answered)[0]).toMatchObject({
      type: 'ticket.sub_replied',
      data: { attachments: [PHOTO] },
    });
    const approved = decideSubReview(
      deepFreeze(next(answered)),
      { unitId: 'roads', approve: true, leaderName: '王处长', note: '', actor: clerk() },
      at(t + 2 * HOUR),
    );
    expect(eventsOf(approved)[1]).toMatchObject({
      type: 'ticket.replied',
      data: { unitId: 'roads', attachments: [PHOTO] },
    });
  });
});
