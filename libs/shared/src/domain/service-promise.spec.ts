import { checkClosureStandard } from './closure-standard';
import {
  brokenPromise,
  latePromise,
  numberOf,
  promiseCore,
  promiseCores,
  promiseText,
  statedLimit,
} from './service-promise';

const DOOR = '24小时内上门维修';
const REFUND = '3个工作日内退款';
const broken = (reply: string, promises = [DOOR, REFUND]) => brokenPromise(reply, promises);

describe('a service promise (服务承诺): what it promises', () => {
  it.each([
    ['24小时内上门维修', '上门维修'],
    ['接到投诉后24小时内上门维修', '上门维修'],
    ['48h内上门维修', '上门维修'],
    ['48H以内上门维修', '上门维修'],
    ['24小時內上門維修', '上门维修'],
    ['24小时内免费上门维修', '上门维修'],
    ['24小时内为您上门维修', '上门维修'],
    ['3个工作日内退款', '退款'],
    ['当日办结', '办结'],
    ['上门维修24小时内完成', '上门维修'],
    ['24小时内', ''],
    ['立即', ''],
  ])('"%s" promises "%s"', (promise, core) => expect(promiseCore(promise)).toBe(core));

  it('has a core for each of its parts', () => {
    expect(promiseCores('物业报修24小时内上门维修，48小时内修复')).toEqual(['上门维修', '修复']);
  });

  it('reads text alike: full-width, traditional, invisible characters and separators inside a phrase', () => {
    expect(promiseText('無法上門\u200b維修')).toBe('无法上门维修');
    expect(promiseText('上门·维修（ＡＰＰ）')).toBe('上门维修app');
    expect(promiseText('上\u00ad门 维修')).toBe('上门维修');
  });
});

describe('a reply that breaks a promise', () => {
  it.each([
    '经核实，我局无法上门维修，请您自行联系物业处理。',
    '经核实，我局没法上门维修，请您自行联系物业处理。',
    '经核实，我局無法上門維修，请您自行联系物业处理。',
    '经核实，我局无法上\u200b门维修，请您自行联系物业处理。',
    '经核实，我局不上门维修，请您自行联系物业处理。',
    '经核实，我局无法在本周内安排工作人员上门维修，请您谅解。',
    '经核实，上门维修服务暂时无法提供，请您谅解。',
    '经核实，我局难以上门进行维修，请您谅解。',
    '经核实，我局拒不上门为您维修。',
    '经核实，我局无法上门（维修），请您谅解。',
    '经核实，该会员卡已使用两次，根据店内规定不予退款。',
    '经核实，您的空调已过保修期，我公司无法提供免费上门维修，维修需收费。',
    '经核实，此类报修一律取消上门维修，请市民自行联系有资质的电工处理。',
    '经核实，我单位即日起暂停上门维修，市民可将损坏灯具送至服务窗口更换。',
    '经核实，我单位未上门维修，请您谅解。',
    '经核实，上门维修暂缓，请您谅解。',
    '经核实，我单位不同意退款，请您理解。',
  ])('%s', (reply) => expect(broken(reply)).not.toBeNull());

  it('is held to each part of a promise', () => {
    expect(
      broken('经核实，维修班组人手不足，无法上门维修，已告知业主自行联系电梯厂家。', [
        '物业报修24小时内上门维修，48小时内修复',
      ]),
    ).toMatchObject({ said: '无法上门维修' });
  });

  it('says what it said, and which promise', () => {
    expect(broken('经核实，我局暂时无法上门维修，请谅解。')).toEqual({ promise: DOOR, said: '无法上门维修' });
    expect(
      checkClosureStandard({ content: '经核实，我局暂时无法上门维修，请谅解。' }, { servicePromises: [DOOR] })
        .defects,
    ).toEqual([
      {
        code: 'contradicts_service_promise',
        message: `答复称"无法上门维修"，与本单位服务承诺"${DOOR}"相悖，不能办结`,
      },
    ]);
  });
});

describe('a reply that keeps its promises, or negates something else', () => {
  it.each([
    '经核实，维修人员已于12月7日上门维修，更换了井盖，现已正常使用。',
    '经核实，我局不会因天气原因影响上门维修，已于12月7日上门维修完毕，地砖已更换。',
    '经核实，为防止不能及时上门维修，我局已增派人员，12月7日修复完毕。',
    '经核实，商家拒绝退款，我局已责令其于12月9日前退款，商家已书面承诺。',
    '经核实，您反映的燃气异味系邻居装修所致，无法确认存在泄漏，已上门维修检测三次，读数均正常。',
    '经核实，上门维修后无法使用的问题已解决，热水器运行正常。',
    '市民反映我单位不能上门维修一事，经查，维修人员已于12月7日上门修复路灯，现已正常照明。',
    '关于“无法上门维修”的反映，经核实不属实，维修人员已于12月7日上门修复。',
    '经核实，我单位不存在无法上门维修的情况，维修人员已于12月7日上门修复。',
    '由于用户家中无人，维修人员无法上门维修，已电话与市民约定并于12月7日上门修复。',
    '消费者反映商家不退款，经我局执法人员调解，商家已于12月6日全额退款。',
    '经核实，我单位于12月6日上门维修完毕。市民反映的不能上门维修的情况系误解。',
  ])('%s', (reply) => expect(broken(reply)).toBeNull());

  it('a promise naming no service is never broken', () => {
    expect(broken('经核实，我局无法上门维修。', ['24小时内'])).toBeNull();
  });
});

describe('the first reading, kept for replies decided under it', () => {
  it('needs the exact phrase after a leading time limit', () => {
    const opts = { servicePromises: [DOOR], promiseMatching: 'v1' as const };
    const promiseDefect = (content: string) =>
      checkClosureStandard({ content }, opts).defects.some((d) => d.code === 'contradicts_service_promise');
    expect(promiseDefect('经核实，我局没法上门维修，请您自行联系物业处理。')).toBe(false);
    expect(promiseDefect('经核实，我局无法上门维修，请您自行联系物业处理。')).toBe(true);
  });
});

describe('a reply that gives a promised service more time than promised (promise v3)', () => {
  const late = (reply: string, promises = [DOOR, REFUND]) => latePromise(reply, promises);

  it.each([
    ['经核实，我局将于3个工作日内安排人员上门维修，请您耐心等待。', '3个工作日内安排人员上门维修'],
    ['经核实，我局将于72小时后上门维修。', '72小时后上门维修'],
    ['经核实，上门维修将在三天内完成。', '上门维修将在三天内'],
    ['经核实，我局将于二十五小时内上门维修。', '二十五小时内上门维修'],
    ['经核实，我局将于半个月内上门维修。', '半个月内上门维修'],
    ['经核实，我局将于3日内上门维修。', '3日内上门维修'],
    ['经核实，我局将于一周内上門維修。', '一周内上门维修'],
    ['经核实，我单位将在5个工作日内退款。', '5个工作日内退款'],
  ])('%s', (reply, said) => expect(late(reply)).toEqual({ promise: expect.any(String), said }));

  it.each([
    '经核实，我局将在12小时内上门维修。',
    '经核实，我局将于二十四小时内上门维修。',
    '经核实，我局于12月3日上门维修完毕。',
    '经核实，我局将于3日上门维修。',
    '经核实，我局将于第3天上门维修。',
    '经核实，我局已于3天后上门维修，系因暴雨封路。',
    '市民反映3天未上门维修，经核实，我局当日已上门处理完毕。',
    '经核实，我单位将在2个工作日内退款。',
    // Working days promised may span a weekend: five calendar days are not surely longer.
    '经核实，我单位将在5天内退款。',
    '经核实，商家承诺7天内退款，我局将跟踪督促。',
    '经核实，我局3天前已上门维修。',
  ])('not: %s', (reply) => expect(late(reply)).toBeNull());

  it('reads Chinese numerals and the stated lengths', () => {
    expect([
      numberOf('二十四'),
      numberOf('十二'),
      numberOf('两'),
      numberOf('一百零'),
      numberOf('半'),
    ]).toEqual([24, 12, 2, null, 0.5]);
    expect(statedLimit('3个工作日内')).toEqual({ text: '3个工作日内', hours: 72, workingDays: true });
    expect(statedLimit('当日')).toMatchObject({ hours: 24 });
    expect(statedLimit('立即')).toBeNull();
  });

  it('makes the reply not closable, naming the promise; read as v2 (courses decided before it), not', () => {
    const reply = {
      content: '经核实，我局将于3个工作日内安排人员上门维修。',
      responsibleDepartment: '市政维修科',
    };
    const v3 = checkClosureStandard(reply, { servicePromises: [DOOR] });
    const found = v3.defects.find((d) => d.code === 'contradicts_service_promise');
    expect(found?.message).toBe(
      '答复称"3个工作日内安排人员上门维修"，与本单位服务承诺"24小时内上门维修"相悖，不能办结',
    );
    const v2 = checkClosureStandard(reply, { servicePromises: [DOOR], promiseMatching: 'v2' });
    expect(v2.defects.map((d) => d.code)).not.toContain('contradicts_service_promise');
  });
});
