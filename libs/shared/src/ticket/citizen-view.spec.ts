import { citizenView } from './citizen-view';
import type { CitizenEvent } from './citizen-view';

const T = (m: number) => new Date(Date.UTC(2026, 11, 6, 1, m)).toISOString();
const ticket = {
  ticketNo: '20261206000001',
  registryNo: null,
  kind: 'complaint',
  title: '人行道地砖松动',
  createdAt: T(0),
};
const ev = (m: number, type: string, data: Record<string, unknown> = {}): CitizenEvent => ({
  type,
  data,
  occurredAt: T(m),
});
const dispatched = ev(1, 'ticket.dispatched', { unitId: 'transport', unitName: '市交通运输局' });

describe('the citizen’s view of a ticket', () => {
  it('while it is handled: the steps, the unit, no result yet; a reply not yet approved stays hidden', () => {
    const v = citizenView({ ...ticket, status: 'replied' }, [
      ev(0, 'ticket.created'),
      dispatched,
      ev(2, 'ticket.signed', { unitId: 'transport', late: false }),
      ev(3, 'ticket.progress_noted', { unitId: 'transport', content: '已安排现场勘查' }),
      ev(4, 'ticket.replied', { unitId: 'transport', content: '已修复' }),
    ]);
    expect(v).toMatchObject({
      stage: 'handling',
      stageLabel: '办理中',
      handlingUnit: '市交通运输局',
      result: null,
    });
    expect(v.kindLabel).toBe('投诉');
    expect(v.steps.map((s) => s.text)).toEqual([
      '诉求已登记受理',
      '已转市交通运输局办理',
      '市交通运输局已签收',
      '办理进度（市交通运输局）：已安排现场勘查',
    ]);
    expect(JSON.stringify(v)).not.toContain('已修复');
  });

  it('never shows the units’ internal exchanges: returns, refused replies, reminders, overdue, extension requests', () => {
    const v = citizenView({ ...ticket, status: 'signed' }, [
      ev(0, 'ticket.created'),
      dispatched,
      ev(2, 'ticket.returned', {
        unitId: 'transport',
        reason: '不属于本单位职责',
        suggestedUnitId: 'housing',
      }),
      ev(3, 'ticket.return_decided', { unitId: 'transport', approved: false, note: '属于本单位' }),
      ev(4, 'ticket.reminded', { deadline: 'sign', unitId: 'transport' }),
      ev(5, 'ticket.overdue', { deadline: 'sign', unitId: 'transport' }),
      ev(6, 'ticket.signed', { unitId: 'transport', late: true }),
      ev(7, 'ticket.extension_requested', { unitId: 'transport', reason: '需协调' }),
      ev(8, 'ticket.extension_decided', { unitId: 'transport', approved: false }),
      ev(9, 'ticket.reply_rejected', { unitId: 'transport', content: '已处理', defects: ['x'] }),
    ]);
    expect(v.steps.map((s) => s.text)).toEqual([
      '诉求已登记受理',
      '已转市交通运输局办理',
      '市交通运输局已签收',
    ]);
  });

  it('the approved reply is the result; a reply sent back is replaced by the next one approved', () => {
    const v = citizenView({ ...ticket, status: 'closed' }, [
      ev(0, 'ticket.created'),
      dispatched,
      ev(2, 'ticket.signed', { unitId: 'transport', late: false }),
      ev(3, 'ticket.extension_decided', { unitId: 'transport', approved: true }),
      ev(4, 'ticket.replied', { unitId: 'transport', content: '第一次答复' }),
      ev(5, 'ticket.reply_reviewed', { unitId: 'transport', approved: false, note: '请补充' }),
      ev(6, 'ticket.replied', { unitId: 'transport', content: '已更换地砖12块，恢复通行。' }),
      ev(7, 'ticket.reply_reviewed', { unitId: 'transport', approved: true, note: '' }),
      ev(8, 'ticket.callback_requested', { mode: 'sms', round: 1 }),
      ev(9, 'ticket.callback_answered', { mode: 'sms', verdict: 'unsatisfied', round: 1 }),
      ev(10, 'ticket.callback_requested', { mode: 'manual', round: 1 }),
      ev(11, 'ticket.callback_answered', { mode: 'manual', verdict: 'satisfied', round: 1 }),
      ev(12, 'ticket.closed', { unitId: 'transport', outcome: 'satisfied' }),
    ]);
    expect(v).toMatchObject({
      stage: 'closed',
      stageLabel: '已办结',
      closedAt: T(12),
      result: { at: T(7), text: '已更换地砖12块，恢复通行。', guidance: null },
    });
    expect(v.steps.map((s) => s.text)).toEqual([
      '诉求已登记受理',
      '已转市交通运输局办理',
      '市交通运输局已签收',
      '经批准延长办理期限',
      '市交通运输局已答复',
      '已发送满意度回访短信',
      '回访评价：不满意',
      '转人工电话回访',
      '回访评价：满意',
      '工单已办结',
    ]);
    expect(JSON.stringify(v)).not.toContain('第一次答复');
  });

  it('says an SMS was sent only where the number takes one', () => {
    const events = [ev(0, 'ticket.created'), ev(1, 'ticket.callback_requested', { mode: 'sms', round: 1 })];
    const texts = (smsReachable: boolean) =>
      citizenView({ ...ticket, status: 'callback' }, events, { smsReachable }).steps.map((x) => x.text);
    expect(texts(true)).toContain('已发送满意度回访短信');
    expect(texts(false)).toContain('进入满意度回访');
    expect(texts(false)).not.toContain('已发送满意度回访短信');
  });

  it('not accepted: the reason and where to turn; answered directly: the answer', () => {
    const no = citizenView({ ...ticket, status: 'closed' }, [
      ev(0, 'ticket.created'),
      ev(1, 'ticket.not_accepted', { reason: 'emergency', guidance: '请拨打110' }),
      ev(1, 'ticket.closed', { unitId: null, outcome: 'not_accepted' }),
    ]);
    expect(no.result).toMatchObject({ guidance: '请拨打110' });
    expect(no.result!.text).toMatch(/^不予受理：/);
    // Registered, never told it was accepted; its stage says what happened to it.
    expect(no.steps[0]!.text).toBe('诉求已登记');
    expect(no).toMatchObject({ stage: 'not_accepted', stageLabel: '不予受理' });
    expect(JSON.stringify(no)).not.toContain('受理；');
    expect(JSON.stringify(no.steps)).not.toContain('已登记受理');
    expect(no.handlingUnit).toBeNull();
    const direct = citizenView({ ...ticket, status: 'callback' }, [
      ev(0, 'ticket.created'),
      ev(1, 'ticket.answered_directly', { answer: '可登录政务服务网办理。' }),
    ]);
    expect(direct).toMatchObject({
      stage: 'answered',
      result: { text: '可登录政务服务网办理。', guidance: null },
    });
  });

  it('answered on a three-way call: the citizen reads which unit answered, and what', () => {
    const v = citizenView({ ...ticket, status: 'callback' }, [
      ev(0, 'ticket.created'),
      ev(1, 'ticket.three_way_call_held', {
        unitId: 'transport',
        unitName: '市交通运输局',
        participant: '养护科王工',
        summary: '已安排今日下午更换破损地砖。',
      }),
    ]);
    expect(v).toMatchObject({
      stage: 'answered',
      result: { text: '已安排今日下午更换破损地砖。', guidance: null },
    });
    expect(v.steps.map((x) => x.text)).toContain('已通过三方通话由市交通运输局答复');
    expect(JSON.stringify(v)).not.toContain('王工');
  });

  it('transferred to a special line, or linked with a special window: the citizen reads where, and what', () => {
    const unit = { unitId: 'market', unitName: '市市场监督管理局' };
    const line = citizenView({ ...ticket, status: 'callback' }, [
      ev(0, 'ticket.created'),
      ev(1, 'ticket.transferred_to_special_line', {
        ...unit,
        line: '12315',
        summary: '专线已受理并答复退货流程。',
      }),
    ]);
    expect(line).toMatchObject({ stage: 'answered', result: { text: '专线已受理并答复退货流程。' } });
    expect(line.steps.map((x) => x.text)).toContain('已转接市市场监督管理局专线（12315）答复');
    const window = citizenView({ ...ticket, status: 'callback' }, [
      ev(0, 'ticket.created'),
      ev(1, 'ticket.special_window_linked', {
        ...unit,
        window: '市民中心二楼专窗',
        summary: '已预约周三上午办理。',
      }),
    ]);
    expect(window).toMatchObject({ stage: 'answered', result: { text: '已预约周三上午办理。' } });
    expect(window.steps.map((x) => x.text)).toContain('已联动市市场监督管理局专窗（市民中心二楼专窗）办理');
  });

  it('re-dispatched after a return: the new unit handles it', () => {
    const v = citizenView({ ...ticket, status: 'dispatched' }, [
      ev(0, 'ticket.created'),
      dispatched,
      ev(2, 'ticket.returned', { unitId: 'transport', reason: 'x', suggestedUnitId: 'housing' }),
      ev(3, 'ticket.return_decided', { unitId: 'transport', approved: true, note: '' }),
      ev(4, 'ticket.dispatched', { unitId: 'housing', unitName: '市住房和城乡建设局' }),
    ]);
    expect(v.handlingUnit).toBe('市住房和城乡建设局');
    expect(v.steps.at(-1)!.text).toBe('已转市住房和城乡建设局办理');
  });

  /** The ticket coordinated from transport to housing, with the reason and level given. */
  const coordinatedToHousing = (reason: string, level?: string) =>
    citizenView({ ...ticket, status: 'dispatched' }, [
      ev(0, 'ticket.created'),
      dispatched,
      ev(2, 'ticket.coordinated', {
        fromUnitId: 'transport',
        unitId: 'housing',
        unitName: '市住房和城乡建设局',
        assistingUnitIds: [],
        recalledSubUnitIds: [],
        reason,
        ...(level ? { level } : {}),
      }),
      ev(3, 'ticket.dispatched', { unitId: 'housing', unitName: '市住房和城乡建设局' }),
    ]);

  it('coordinated by the centre: the citizen sees the coordination and the new lead, not the reason', () => {
    const reason = '职责交叉，经协调由住建局牵头（内部意见）';
    const v = coordinatedToHousing(reason);
    expect(v.handlingUnit).toBe('市住房和城乡建设局');
    expect(v.steps.map((x) => x.text).slice(-2)).toEqual([
      '经热线中心协调，确定牵头单位',
      '已转市住房和城乡建设局办理',
    ]);
    expect(JSON.stringify(v)).not.toContain(reason);
  });

  it('coordinated by the leadership group: the citizen sees that the group decided', () => {
    const v = coordinatedToHousing('经领导小组会议研究', 'leadership_group');
    expect(v.steps.at(-2)!.text).toBe('经领导小组协调，确定牵头单位');
    expect(JSON.stringify(v)).not.toContain('经领导小组会议研究');
  });
});
