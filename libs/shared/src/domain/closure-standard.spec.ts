import {
  CLOSURE_PHRASES_V2,
  CLOSURE_PHRASES_V3,
  checkClosureStandard,
  containsDate,
  DEFAULT_CLOSURE_PHRASES,
  isDayKey,
  MAX_SERVICE_PROMISE_LENGTH,
  promiseKeyPhrase,
  servicePromiseProblem,
} from './closure-standard';
import type { ClosureDefect, ReplyDraft } from './closure-standard';

const GOOD =
  '经核实，中山路128号门前人行道地砖松动12块，已于11月23日安排养护科更换完毕，现场已恢复通行。联系人：王工，电话12345。';

const codes = (
  reply: ReplyDraft | string,
  opts?: Parameters<typeof checkClosureStandard>[1],
): ClosureDefect[] =>
  checkClosureStandard(typeof reply === 'string' ? { content: reply } : reply, opts).defects.map(
    (d) => d.code,
  );

describe('closure standard (办结标准)', () => {
  it('closes a specific, complete reply', () => {
    expect(checkClosureStandard({ content: GOOD })).toEqual({
      closable: true,
      defects: [],
      trackUntilDone: false,
    });
  });

  it.each(['\u200b', '\u2060', '\u3164', '\u2800'])(
    'finds a reply of invisible characters (%j × 40) empty',
    (c) => {
      expect(codes(c.repeat(40))).toEqual(['empty']);
    },
  );

  it('counts only what shows toward the minimum length', () => {
    const short = '经核实，路面已修复。';
    expect(codes(short)).toContain('too_short');
    expect(codes(`${short}${'\u200b'.repeat(40)}`)).toEqual(codes(short));
  });

  it.each([
    GOOD,
    '您好，经现场核查，建设路与和平路交叉口东南角共享单车堆放约60辆，我局已于今日上午联系运营企业清运完毕，并在该处施划停放区。',
    '经查，您反映的幸福小区3号楼楼道灯不亮系感应开关损坏，物业公司已于2026年11月22日更换新开关，经回访楼道照明恢复正常。',
    '经核实，该企业未按规定明码标价，我局已依据《价格违法行为行政处罚规定》责令其立即改正，并处以警告。下一步，我局将加强对周边商户的日常巡查。',
    '经核实，污水处理中心夜间曝气机噪声超标，已于11月20日加装隔音罩，11月21日夜间复测噪声值为48分贝，符合标准。',
    '您反映的计划生育奖励扶助金问题，经查您符合条件，已于11月15日将2025年度奖励金1200元发放至您的社保卡账户。',
  ])('closes a good reply: %s', (content) => {
    expect(codes(content)).toEqual([]);
  });

  describe('1. still in progress (正在办理中)', () => {
    it.each([
      ['正在办理中', '您反映的问题我单位正在办理中，请耐心等待。'],
      ['正在处理', '您好，关于幸福路噪声扰民问题，我局正在处理，已通知执法中队前往现场。'],
      ['正在核实', '经初步了解，您反映的拖欠工资情况我局正在核实，请保持电话畅通。'],
      ['处理中', '该路段积水问题已转交市政养护单位，目前处理中，感谢您的耐心等待。'],
      ['待处理', '您反映的小区违章搭建问题已登记，待处理，后续将通知您结果，谢谢。'],
      ['进一步核实', '您反映的餐馆无证经营问题，我局已派员到场，需进一步核实经营者身份后再作处理。'],
    ])('flags "%s"', (phrase, content) => {
      const check = checkClosureStandard({ content });
      expect(check.closable).toBe(false);
      const defect = check.defects.find((d) => d.code === 'still_in_progress');
      expect(defect?.message).toBe(
        `答复称"${phrase}"，不能作为办结答复；请办结后再答复，或给出有明确完成日期的办理计划`,
      );
    });

    it('accepts in-progress work that is a plan with a date', () => {
      const content = '该路段雨污分流改造工程正在施工处理中，施工单位计划于2026年12月31日前完工并恢复路面。';
      expect(codes(content)).toEqual([]);
      expect(
        codes({
          content: '道路改造工程正在处理，由区住建局负责施工。',
          isPlan: true,
          plannedCompletionDate: '2026-12-31',
        }),
      ).toEqual([]);
    });

    it('a plan without a date does not excuse it', () => {
      expect(codes('您反映的问题我局正在处理，计划近期组织施工队进场维修。')).toEqual([
        'still_in_progress',
        'no_plan_or_date',
      ]);
    });

    it('does not mistake 处理中心 or 调查中发现 for work in progress', () => {
      expect(codes('经核实，垃圾处理中心的除臭设备已于11月18日检修完毕，周边异味已明显减轻。')).toEqual([]);
      expect(codes('执法人员在调查中发现该店铺存在超范围经营，已当场责令整改并立案处罚。')).toEqual([]);
    });
  });

  describe('2. only "handled" (已处理) with no content', () => {
    it.each([
      ['已处理', '已处理'],
      ['已处理', '已处理。'],
      ['已解决', '您好，您反映的问题已经解决，谢谢！'],
      ['已办结', '您好，该问题已办结。'],
      ['已处理完毕', '您好！您反映的问题我单位已处理完毕，感谢您对我们工作的支持和理解。'],
      ['已完成', '经核实，已完成。特此答复。'],
      ['已落实', '问题已落实'],
    ])('flags "%s" in: %s', (phrase, content) => {
      const check = checkClosureStandard({ content });
      expect(check.defects).toEqual([
        {
          code: 'handled_without_content',
          message: `答复仅称"${phrase}"，没有办理过程和结果，不能作为办结答复；请写明核实情况、处理措施和结果`,
        },
      ]);
    });

    it('flags a long reply that is only courtesy around "已处理"', () => {
      const content =
        '尊敬的市民朋友，您好！关于您反映的问题，我局已经妥善处理，感谢您的理解和支持！特此答复。';
      expect(codes(content)).toEqual(['handled_without_content']);
    });

    it('accepts "已处理" with the process and result', () => {
      expect(
        codes('经核实，该处路灯不亮系线路老化所致，我局已处理：于11月21日更换电缆30米，路灯已恢复照明。'),
      ).toEqual([]);
    });
  });

  describe('3. a plan without a concrete date', () => {
    it.each([
      ['计划', '您反映的老旧小区加装电梯问题，我局计划明年启动改造，届时将通知居民。'],
      ['将于', '关于您反映的路面破损，我局将于近期安排施工修复，请您谅解。'],
      ['拟于', '该处公交站台拟于年后迁移至北侧50米处，以缓解路口拥堵。'],
      ['下一步', '经核实，该地块规划调整需报市政府审批，下一步我局将根据批复组织实施。'],
    ])('flags "%s" without a date', (marker, content) => {
      const check = checkClosureStandard({ content });
      expect(check.defects.map((d) => d.code)).toEqual(['no_plan_or_date']);
      expect(check.defects[0].message).toBe(
        `答复称"${marker}"，为办理计划，但未明确完成日期，不能办结；请填写计划完成日期或在答复中写明具体日期`,
      );
      expect(check.trackUntilDone).toBe(true);
    });

    it('flags isPlan without a date, and a malformed planned date', () => {
      const content = '幸福路排水管网改造已列入区年度重点工程，由区住建局负责实施，届时将彻底解决积水问题。';
      expect(codes({ content, isPlan: true })).toEqual(['no_plan_or_date']);
      const check = checkClosureStandard({ content, isPlan: true, plannedCompletionDate: '2026-02-30' });
      expect(check.defects[0].message).toContain('计划完成日期"2026-02-30"不是有效日期，格式应为YYYY-MM-DD');
      expect(codes({ content, isPlan: true, plannedCompletionDate: '2026/12/31' })).toEqual([
        'no_plan_or_date',
      ]);
    });

    it.each([
      '您反映的老旧小区加装电梯问题，我局计划于2027年3月31日前完成3号楼电梯安装。',
      '该处路面破损已纳入维修计划，将于12月15日前修复完毕，施工期间设置围挡。',
      '该处公交站台拟于2026-12-20迁移至北侧50米处，迁移后将恢复早晚高峰通行。',
      '该路段拓宽工程计划于2026年12月底前完工，届时拥堵问题将得到解决。',
    ])('accepts a plan with a date in the text: %s', (content) => {
      const check = checkClosureStandard({ content });
      expect(check.defects).toEqual([]);
      expect(check.closable).toBe(true);
      expect(check.trackUntilDone).toBe(true);
    });

    it('accepts a plan with a valid plannedCompletionDate', () => {
      const content = '幸福路排水管网改造已列入区年度重点工程，由区住建局负责实施，届时将彻底解决积水问题。';
      expect(codes({ content, isPlan: true, plannedCompletionDate: '2026-12-31' })).toEqual([]);
    });

    it('wants the date in the plan sentence, not a past date elsewhere', () => {
      expect(codes('我局已于11月20日派员现场勘查。经研究，计划近期安排施工修复该路段。')).toEqual([
        'no_plan_or_date',
      ]);
    });

    it('does not read routine commitments or 按计划 as a plan', () => {
      expect(
        codes(
          '经核实，该商户占道经营属实，城管中队已于11月22日责令其退回店内经营。下一步，我局将继续加强巡查。',
        ),
      ).toEqual([]);
      expect(codes('经核实，该处绿化带补植工作已按计划于11月10日完成，共补植冬青200株。')).toEqual([]);
    });
  });

  describe('4. no responsible department', () => {
    it.each([
      ['职责交叉', '经核实，该河道保洁涉及水利与城管两个部门，职责交叉，需市热线中心协调明确牵头单位。'],
      ['职责不清', '该小区道路属于开发商未移交的自建道路，职责不清，暂无法确定维修主体。'],
      ['需协调', '该问题涉及多个部门，需协调后再予答复，请您谅解。'],
    ])('flags "%s", even with a department named', (phrase, content) => {
      const check = checkClosureStandard({ content, responsibleDepartment: '市城管局' });
      expect(check.defects.map((d) => d.code)).toContain('no_responsible_department');
      expect(check.defects.find((d) => d.code === 'no_responsible_department')?.message).toBe(
        `答复称"${phrase}"，责任部门未明确或职责交叉需协调，不能办结；请提请热线中心协调确定牵头单位`,
      );
    });

    it('flags "not our duty" unless the responsible department is named', () => {
      const content =
        '经核实，您反映的小区物业收费问题不属于本单位职责，建议您向有关部门反映，感谢您的来电。';
      expect(codes({ content })).toEqual(['no_responsible_department']);
      expect(codes({ content, responsibleDepartment: null })).toEqual(['no_responsible_department']);
      expect(codes({ content, responsibleDepartment: '区住建局物业管理科' })).toEqual([]);
    });

    it('flags an explicitly empty responsibleDepartment', () => {
      const check = checkClosureStandard({ content: GOOD, responsibleDepartment: '' });
      expect(check.defects).toEqual([
        { code: 'no_responsible_department', message: '未明确责任部门，不能办结；请写明负责办理的部门' },
      ]);
      expect(codes({ content: GOOD, responsibleDepartment: '  ' })).toEqual(['no_responsible_department']);
    });

    it('accepts a named department and does not mistake 无需协调', () => {
      expect(codes({ content: GOOD, responsibleDepartment: '市交通运输局养护科' })).toEqual([]);
      expect(
        codes('经核实，该路灯属我局管养范围，无需协调其他部门，已于11月21日修复，路灯恢复照明。'),
      ).toEqual([]);
    });
  });

  describe('5. contradicts the service promises', () => {
    const servicePromises = ['24小时内上门', '3个工作日内退款', '免费上门维修'];

    it('records a promise only when it names a service after its time limit', () => {
      for (const p of [
        ...servicePromises,
        '２４小时内上门维修',
        '当日办结',
        'x'.repeat(MAX_SERVICE_PROMISE_LENGTH),
      ])
        expect([p, servicePromiseProblem(p)]).toEqual([p, null]);
      for (const p of [
        '',
        ' \u200b ',
        '24小时内',
        '3个工作日内。',
        '立即',
        '修',
        'x'.repeat(MAX_SERVICE_PROMISE_LENGTH + 1),
      ])
        expect([p, servicePromiseProblem(p)]).toEqual([p, expect.any(String)]);
    });

    it.each([
      [
        '无法上门',
        '24小时内上门',
        '经核实，因近期维修人员紧张，暂时无法上门，请您自行将热水器送至维修点检测。',
      ],
      [
        '不能安排师傅上门',
        '24小时内上门',
        '您好，您家燃气表故障已登记，目前不能安排师傅上门，请谅解并等待通知。',
      ],
      ['不予退款', '3个工作日内退款', '经核实，您购买的会员卡已使用两次，根据店内规定不予退款，请您理解。'],
      [
        '无法提供免费上门维修',
        '免费上门维修',
        '经核实，您的空调已过保修期，我公司无法提供免费上门维修，维修需收费。',
      ],
    ])('flags "%s" against "%s"', (said, promise, content) => {
      expect(codes(content, { servicePromises })).toEqual(['contradicts_service_promise']);
      const check = checkClosureStandard({ content }, { servicePromises: [promise] });
      expect(check.defects.map((d) => d.code)).toEqual(['contradicts_service_promise']);
      expect(check.defects[0].message).toBe(`答复称"${said}"，与本单位服务承诺"${promise}"相悖，不能办结`);
    });

    it('accepts replies that keep the promise, or negate something else', () => {
      expect(
        codes('经核实，维修人员已于11月22日上门，更换了热水器温控阀，现已正常使用。', { servicePromises }),
      ).toEqual([]);
      expect(
        codes('经核实，您反映的燃气异味系邻居装修所致，无法确认存在泄漏，已上门检测三次，读数均正常。', {
          servicePromises,
        }),
      ).toEqual([]);
      // the negation and the key phrase are in different clauses
      expect(
        codes('您好，因暴雨道路受阻无法通行，维修人员于次日上午上门处理，已恢复供水。', { servicePromises }),
      ).toEqual([]);
    });

    it('needs promises to check against', () => {
      expect(codes('经核实，因近期维修人员紧张，暂时无法上门，请您自行将热水器送至维修点检测。')).toEqual([]);
    });

    it.each([
      ['24小时内上门', '上门'],
      ['3个工作日内退款', '退款'],
      ['两小时内到达现场', '到达现场'],
      ['当天办结', '办结'],
      ['免费上门维修', '免费上门维修'],
    ])('the key phrase of %s is %s', (promise, key) => {
      expect(promiseKeyPhrase(promise)).toBe(key);
    });
  });

  describe('empty and too short', () => {
    it.each(['', '   ', '。。。', '\n'])('an empty reply: %j', (content) => {
      expect(checkClosureStandard({ content }).defects).toEqual([
        { code: 'empty', message: '答复内容为空，请写明核实情况、处理措施和结果' },
      ]);
    });

    it('a short reply without a done phrase', () => {
      const check = checkClosureStandard({ content: '已派人修好路灯。' });
      expect(check.defects).toEqual([
        { code: 'too_short', message: '答复内容过短（7字，至少15字），请写明核实情况、处理措施和结果' },
      ]);
    });

    it('counts characters, not punctuation or spaces, against minLength', () => {
      const content = '路灯已于11月21日修复。'; // 12 characters
      expect(codes(content)).toEqual(['too_short']);
      expect(codes(content, { minLength: 12 })).toEqual([]);
      expect(codes(content, { minLength: 13 })).toEqual(['too_short']);
    });

    it('a short in-progress reply has both defects', () => {
      expect(codes('正在处理中')).toEqual(['still_in_progress', 'too_short']);
    });
  });

  describe('exceptions of art. 2–4 (closureBasis)', () => {
    it.each([
      [
        'utmost_done',
        '经核实，该小区停车位不足系规划历史原因所致，我局已协调周边单位夜间开放停车位80个，现有条件下已尽最大努力。',
      ],
      [
        'objective_limits_explained',
        '您建议的地铁延伸线需纳入国家批复的轨道交通建设规划，投资约40亿元，现阶段暂不具备条件，已将建议转报市发改委研究。',
      ],
      [
        'nuisance_stopped',
        '接报后城管队员于当晚22时到场，已劝离占道夜市摊贩5户，现场恢复安静；如再有发生请再次来电。',
      ],
    ] as const)('closes an outcome short of the wish with basis %s', (basis, content) => {
      expect(checkClosureStandard({ content, closureBasis: basis })).toEqual({
        closable: true,
        defects: [],
        trackUntilDone: false,
      });
    });

    it('a long-cycle matter closes with its plan date and is tracked', () => {
      const content = '该片区棚户区改造已经市政府批准立项，由区征收办负责实施，预计2027年6月30日前完成征收。';
      expect(checkClosureStandard({ content, closureBasis: 'long_cycle_plan' })).toEqual({
        closable: true,
        defects: [],
        trackUntilDone: true,
      });
    });

    it('a long-cycle matter is a plan: it needs a date', () => {
      const content = '该片区棚户区改造已经市政府批准立项，由区征收办负责实施，届时将统一安置。';
      expect(codes({ content, closureBasis: 'long_cycle_plan' })).toEqual(['no_plan_or_date']);
    });

    it('a repair with staff sent closes and is tracked until done', () => {
      const content =
        '接报后我公司已于11月23日14时派维修班组3人赶赴现场抢修爆裂水管，已关闭阀门并设置警示标志。';
      expect(checkClosureStandard({ content, closureBasis: 'repair_dispatched' })).toEqual({
        closable: true,
        defects: [],
        trackUntilDone: true,
      });
    });

    it.each([
      ['utmost_done', '您反映的问题正在办理中。', 'still_in_progress'],
      ['resolved', '已处理', 'handled_without_content'],
      ['long_cycle_plan', '该片区拆迁改造工作我局计划近期启动，请您耐心等待后续安排。', 'no_plan_or_date'],
      [
        'objective_limits_explained',
        '该河道治理涉及多个部门职责交叉，受资金限制，暂时无法实施整治工程。',
        'no_responsible_department',
      ],
      ['repair_dispatched', '维修人员正在处理中，已派出抢修车一辆，请您耐心等候。', 'still_in_progress'],
    ] as const)('basis %s does not excuse: %s', (basis, content, defect) => {
      const check = checkClosureStandard({ content, closureBasis: basis });
      expect(check.closable).toBe(false);
      expect(check.defects.map((d) => d.code)).toContain(defect);
    });

    it('does not excuse a broken service promise', () => {
      const content =
        '您家热水器故障属实，因配件缺货，已尽最大努力协调，但暂时无法上门维修，待配件到货后另行通知。';
      expect(
        codes({ content, closureBasis: 'utmost_done' }, { servicePromises: ['24小时内上门'] }),
      ).toContain('contradicts_service_promise');
    });
  });

  describe('phrase lists are data', () => {
    it('a deployment can extend a list', () => {
      const content = '您反映的违章停车问题，交警大队已安排排查中，请您留意后续短信通知，谢谢。';
      expect(codes(content)).toEqual([]);
      const phrases = { inProgress: [...DEFAULT_CLOSURE_PHRASES.inProgress, '排查中'] };
      expect(codes(content, { phrases })).toEqual(['still_in_progress']);
    });

    it('reports each defect once, in the order of the standard', () => {
      const check = checkClosureStandard(
        { content: '正在处理，职责交叉需协调，计划近期解决，暂时无法上门。', responsibleDepartment: '' },
        { servicePromises: ['24小时内上门'] },
      );
      expect(check.defects.map((d) => d.code)).toEqual([
        'still_in_progress',
        'no_plan_or_date',
        'no_responsible_department',
        'contradicts_service_promise',
      ]);
    });

    it('reads full-width digits', () => {
      expect(containsDate('计划于２０２６年１２月３１日前完成')).toBe(true);
    });
  });

  describe('dates', () => {
    it.each(['2026年12月31日', '12月31日', '12月5号', '2026-12-31', '2026/1/5', '2026年12月底', '2026年底'])(
      'recognises %s',
      (text) => {
        expect(containsDate(`预计${text}前完成`)).toBe(true);
      },
    );
    it.each(['近期', '年后', '13月5日', '12月32日', '下个月', '2026年'])(
      'does not take %s for a date',
      (text) => {
        expect(containsDate(`预计${text}完成`)).toBe(false);
      },
    );
    it('checks planned dates strictly', () => {
      expect(isDayKey('2026-12-31')).toBe(true);
      expect(isDayKey('2028-02-29')).toBe(true);
      expect(isDayKey('2026-02-29')).toBe(false);
      expect(isDayKey('2026-1-5')).toBe(false);
      expect(isDayKey(null)).toBe(false);
    });
  });
});

describe('closure standard, amended lists (closure-v2): the replies a probe closed', () => {
  const v2 = (reply: ReplyDraft) =>
    checkClosureStandard(reply, { phrases: CLOSURE_PHRASES_V2 }).defects.map((d) => d.code);

  it.each([
    ['您好，您反映的问题我局仍在处理，请耐心等待后续结果，谢谢。', 'still_in_progress'],
    ['您好，该事项还在处理，处理结果将另行告知，感谢您的来电。', 'still_in_progress'],
    ['您好，您反映的问题我局还在核实当中，请您耐心等待答复。', 'still_in_progress'],
    ['您好，您反映的问题已经处理了，感谢您的支持和理解，谢谢！', 'handled_without_content'],
    ['经核实该路段人行道破损属实，我局拟安排修复，具体时间另行通知。', 'no_plan_or_date'],
    ['经核实该路段路灯损坏属实，我局将安排维修，维修完成后另行告知市民。', 'no_plan_or_date'],
  ] as [string, ClosureDefect][])('refuses %s (%s)', (content, defect) => {
    expect(v2({ content })).toContain(defect);
  });

  it('still closes a reply that says what was done, and a plan with its date', () => {
    const done = '经现场核实，该路段井盖破损，我处当日更换了新井盖并设置警示标志，道路恢复通行。';
    expect(v2({ content: done })).toEqual([]);
    expect(
      v2({
        content: '经核实该路段人行道破损属实，我局拟安排于2027年3月31日前完成修复，期间设置警示标志。',
        isPlan: true,
        plannedCompletionDate: '2027-03-31',
      }),
    ).toEqual([]);
    expect(v2({ content: '您好，您反映的占道问题已处理完毕，现场摊点已全部清理，道路恢复畅通。' })).toEqual(
      [],
    );
  });

  it('leaves the first lists as they were, for the courses replayed from before', () => {
    expect(
      checkClosureStandard({ content: '您好，您反映的问题我局仍在处理，请耐心等待后续结果，谢谢。' })
        .closable,
    ).toBe(true);
  });
});

describe('"需协调" as amended (closure-v3): duties needing coordination, or work arranged with others', () => {
  const v3 = (content: string, responsibleDepartment: string | null = '市交通运输局养护科') =>
    checkClosureStandard(
      { content, responsibleDepartment, isPlan: true, plannedCompletionDate: '2026-12-20' },
      { phrases: CLOSURE_PHRASES_V3 },
    ).defects.map((d) => d.code);

  it('closes a dated plan that arranges work with others ("需协调管线迁改")', () => {
    const content = '经核实，该路段需协调管线迁改，拟于2026年12月20日前完成地砖更换。';
    expect(v3(content)).toEqual([]);
    // Read with the lists before it, the same reply was refused.
    expect(
      checkClosureStandard(
        {
          content,
          responsibleDepartment: '市交通运输局养护科',
          isPlan: true,
          plannedCompletionDate: '2026-12-20',
        },
        { phrases: CLOSURE_PHRASES_V2 },
      ).defects.map((d) => d.code),
    ).toEqual(['no_responsible_department']);
  });

  it.each([
    '该问题涉及多个部门，需协调后再予答复，请您谅解。',
    '经核实，该路段养护职责需协调明确，拟于2026年12月20日前完成。',
    '经核实，此事需协调确定牵头部门，拟于2026年12月20日前答复。',
    '经核实，该处井盖权属不清，有待协调。',
    '经核实，该问题需要协调。',
  ])('still refuses duties needing coordination: %s', (content) => {
    expect(v3(content)).toContain('no_responsible_department');
  });
});
