import {
  GS_POLICY,
  PolicyError,
  resolvePolicy,
  SEED_POLICY_SETS,
  SLA_LIMIT_KEYS,
  SQ_POLICY,
  SZ_POLICY,
  validatePolicySet,
} from './policy';
import type { PolicySet, PolicyTicket, SlaLimits } from './policy';
import type { Duration } from './calendar';
import { CHANNELS } from './vocabulary';
import { REGISTRY_PREFIXES } from './ticket-no';
import { DomainError } from './errors';

const h = (amount: number): Duration => ({ amount, unit: 'hours' });
const d = (amount: number): Duration => ({ amount, unit: 'days' });
const wd = (amount: number): Duration => ({ amount, unit: 'working_days' });

const phoneHelp: PolicyTicket = {
  regionCode: 'gulou',
  category: 'road',
  kind: 'help_request',
  channel: 'phone',
};

/** The platform baseline every seed set starts from (RULES §2 SQ art. 10.3, PA §3, SZ 寒山闻钟). */
const BASELINE: SlaLimits = {
  directReply: h(4),
  dispatch: h(12),
  acceptanceNotice: null,
  sign: h(1),
  complete: h(12),
  returnWindow: h(12),
  extensionCap: d(6),
  reviewDecision: h(4),
  callbackSmsWait: h(24),
  manualCallback: h(24),
  rectification: h(12),
  evaluatorDecision: wd(2),
  evaluatorReminderAfter: h(24),
  votingWindow: d(15),
  reconsideration: null,
  reconsiderationRequestWindow: null,
  reminderFractions: [0.5, 0.8],
};

/** A valid set for the validation tests, as JSON with string durations. */
function jsonSet(): Record<string, unknown> {
  return {
    code: 'TEST',
    version: 3,
    name: '测试时限',
    source: '测试办法',
    calendarId: 'cn-mainland',
    defaults: {
      directReply: '4h',
      dispatch: '12h',
      acceptanceNotice: null,
      sign: '1h',
      complete: '12h',
      returnWindow: '12h',
      extensionCap: '6d',
      reviewDecision: '4h',
      callbackSmsWait: '24h',
      manualCallback: '24h',
      rectification: '12h',
      evaluatorDecision: '2wd',
      evaluatorReminderAfter: '24h',
      votingWindow: '15d',
      reconsideration: null,
      reconsiderationRequestWindow: null,
      reminderFractions: [0.5, 0.8],
    },
    rules: [{ id: 'r1', name: '投诉', match: { kind: 'complaint' }, limits: { complete: '7wd' } }],
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    validatePolicySet(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as PolicyError).problems;
  }
  throw new Error('expected a PolicyError');
}

describe('seed policy sets', () => {
  describe('SQ (宿迁市12345热线平台运行管理办法 2020)', () => {
    const { limits, ruleIds, code, version, calendarId } = resolvePolicy(SQ_POLICY, phoneHelp);
    it.each([
      ['directReply', h(4)],
      ['dispatch', h(12)],
      ['acceptanceNotice', null],
      ['sign', h(1)],
      ['complete', h(12)],
      ['returnWindow', h(12)],
      ['extensionCap', d(6)],
      ['reviewDecision', h(4)],
      ['callbackSmsWait', h(24)],
      ['manualCallback', h(24)],
      ['rectification', h(12)],
      ['evaluatorDecision', wd(2)],
      ['evaluatorReminderAfter', h(24)],
      ['votingWindow', d(15)],
      ['reconsideration', null],
      ['reminderFractions', [0.5, 0.8]],
    ] as [keyof SlaLimits, unknown][])('%s = %j', (key, value) => {
      expect(limits[key]).toEqual(value);
    });
    it('has no overrides: every kind and channel gets the defaults', () => {
      expect(ruleIds).toEqual([]);
      expect({ code, version, calendarId }).toEqual({ code: 'SQ', version: 1, calendarId: 'cn-mainland' });
      for (const kind of ['complaint', 'consultation', 'suggestion'] as const)
        for (const channel of ['leader_mailbox', 'web', 'forum'] as const)
          expect(resolvePolicy(SQ_POLICY, { ...phoneHelp, kind, channel }).limits).toEqual(BASELINE);
    });
  });

  describe('SZ (苏州高新区)', () => {
    it.each([
      ['a phoned help request: the defaults', phoneHelp, {}, []],
      [
        'a consultation: reply in 24 h',
        { kind: 'consultation' },
        { complete: h(24) },
        ['sz-consultation-24h'],
      ],
      ['a suggestion: reply in 24 h', { kind: 'suggestion' }, { complete: h(24) }, ['sz-suggestion-24h']],
      [
        'a leader-mailbox item: dispatch in 2 d, acceptance notice in 5 d',
        { channel: 'leader_mailbox' },
        { dispatch: d(2), acceptanceNotice: d(5) },
        ['sz-leader-mailbox'],
      ],
      [
        'a city leader’s mailbox item (the mayor’s): the notice too',
        { channel: 'leader_mailbox', channelDetail: 'mayor' },
        { dispatch: d(2), acceptanceNotice: d(5) },
        ['sz-leader-mailbox'],
      ],
      [
        'a provincial leader’s mailbox item (the governor’s): the notice too',
        { channel: 'leader_mailbox', channelDetail: 'governor' },
        { dispatch: d(2), acceptanceNotice: d(5) },
        ['sz-leader-mailbox'],
      ],
      [
        'a district leader’s mailbox item: dispatch in 2 d, no acceptance notice',
        { channel: 'leader_mailbox', channelDetail: 'district_leader' },
        { dispatch: d(2), acceptanceNotice: null },
        ['sz-leader-mailbox', 'sz-leader-mailbox-district-leader'],
      ],
      [
        'a bureau chief’s mailbox item: no acceptance notice',
        { channel: 'leader_mailbox', channelDetail: 'bureau_chief' },
        { dispatch: d(2), acceptanceNotice: null },
        ['sz-leader-mailbox', 'sz-leader-mailbox-bureau-chief'],
      ],
      [
        'a conduct-hotline item: no acceptance notice',
        { channel: 'leader_mailbox', channelDetail: 'conduct_hotline' },
        { dispatch: d(2), acceptanceNotice: null },
        ['sz-leader-mailbox', 'sz-leader-mailbox-conduct-hotline'],
      ],
      [
        'a network (web) item: dispatch in 3 working days',
        { channel: 'web' },
        { dispatch: wd(3) },
        ['sz-network'],
      ],
      [
        'a leader-mailbox consultation: all three',
        { kind: 'consultation', channel: 'leader_mailbox' },
        { complete: h(24), dispatch: d(2), acceptanceNotice: d(5) },
        ['sz-leader-mailbox', 'sz-consultation-24h'],
      ],
      [
        'a suggestion on the web portal',
        { kind: 'suggestion', channel: 'web' },
        { complete: h(24), dispatch: wd(3) },
        ['sz-network', 'sz-suggestion-24h'],
      ],
      [
        'a complaint by WeChat, a network item too: dispatch in 3 working days',
        { kind: 'complaint', channel: 'wechat' },
        { dispatch: wd(3) },
        ['sz-network-wechat'],
      ],
      ['a forum post, numbered 网 as well', { channel: 'forum' }, { dispatch: wd(3) }, ['sz-network-forum']],
      ['a complaint by phone: the defaults', { kind: 'complaint', channel: 'phone' }, {}, []],
    ] as [string, Partial<PolicyTicket>, Partial<SlaLimits>, string[]][])('%s', (_, t, changed, ids) => {
      const resolved = resolvePolicy(SZ_POLICY, { ...phoneHelp, ...t });
      expect(resolved.limits).toEqual({ ...BASELINE, ...changed });
      expect(resolved.ruleIds).toEqual(ids);
      expect(resolved.code).toBe('SZ');
    });
  });

  describe('GS (政务服务中心投诉处理)', () => {
    const complaint = resolvePolicy(GS_POLICY, { ...phoneHelp, kind: 'complaint' });
    it.each([
      ['sign', h(24)],
      ['complete', wd(7)],
      ['extensionCap', wd(3)],
      ['reconsideration', wd(10)],
      ['reconsiderationRequestWindow', d(15)],
    ] as [keyof SlaLimits, unknown][])('a complaint: %s = %j', (key, value) => {
      expect(complaint.limits[key]).toEqual(value);
    });
    it('a complaint keeps the defaults otherwise', () => {
      expect(complaint.limits).toEqual({
        ...BASELINE,
        sign: h(24),
        complete: wd(7),
        extensionCap: wd(3),
        reconsideration: wd(10),
        reconsiderationRequestWindow: d(15),
      });
      expect(complaint.ruleIds).toEqual(['gs-complaint']);
    });
    it.each(['consultation', 'help_request', 'report', 'suggestion', 'praise', 'other'] as const)(
      'a %s gets the defaults (no reconsideration)',
      (kind) => {
        const r = resolvePolicy(GS_POLICY, { ...phoneHelp, kind });
        expect(r.limits).toEqual(BASELINE);
        expect(r.ruleIds).toEqual([]);
      },
    );
  });

  it('are valid, survive a JSON round trip and are frozen', () => {
    expect(SEED_POLICY_SETS.map((s) => s.code)).toEqual(['SQ', 'SZ', 'GS']);
    // SZ's network items are the channels it numbers 网: each is held to their dispatch limit.
    for (const channel of CHANNELS.filter((c) => REGISTRY_PREFIXES[c] === '网'))
      expect([channel, resolvePolicy(SZ_POLICY, { ...phoneHelp, channel }).limits.dispatch]).toEqual([
        channel,
        wd(3),
      ]);
    for (const set of SEED_POLICY_SETS) {
      expect(validatePolicySet(JSON.parse(JSON.stringify(set)))).toEqual(set);
      expect(Object.isFrozen(set)).toBe(true);
      expect(Object.isFrozen(set.defaults.complete)).toBe(true);
      expect(set.calendarId).toBe('cn-mainland');
      expect(set.name).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('resolvePolicy', () => {
  const set: PolicySet = {
    code: 'X',
    version: 7,
    name: '测试',
    source: '测试',
    calendarId: 'cn-mainland',
    defaults: BASELINE,
    rules: [
      {
        id: 'gulou-complaint',
        name: '鼓楼投诉',
        match: { regionCode: 'gulou', kind: 'complaint' },
        limits: { complete: h(4) },
      },
      { id: 'gulou', name: '鼓楼', match: { regionCode: 'gulou' }, limits: { complete: h(8), sign: h(2) } },
      {
        id: 'complaint',
        name: '投诉',
        match: { kind: 'complaint', regionCode: null, channel: undefined },
        limits: { complete: h(6), returnWindow: h(6) },
      },
      {
        id: 'complaint-b',
        name: '投诉（后列）',
        match: { kind: 'complaint' },
        limits: { returnWindow: h(3), rectification: h(3) },
      },
      { id: 'road', name: '道路', match: { category: 'road' }, limits: { acceptanceNotice: d(1) } },
      {
        id: 'road-web',
        name: '道路网络件',
        match: { category: 'road', channel: 'web' },
        limits: { acceptanceNotice: null },
      },
    ],
  };
  const ticket: PolicyTicket = { regionCode: 'gulou', category: 'road', kind: 'complaint', channel: 'phone' };

  it('overlays every applicable rule, least specific first; the most specific wins a limit', () => {
    const r = resolvePolicy(set, ticket);
    expect(r.ruleIds).toEqual(['road', 'complaint-b', 'complaint', 'gulou', 'gulou-complaint']);
    expect(r.limits.complete).toEqual(h(4)); // region + kind beats region alone and kind alone
    expect(r.limits.sign).toEqual(h(2)); // only the region rule sets it
    expect(r.limits.acceptanceNotice).toEqual(d(1)); // only the category rule applies
    expect(r.limits.rectification).toEqual(h(3)); // only complaint-b sets it
    expect(r.limits.dispatch).toEqual(h(12)); // nobody overrides it: the default
  });

  it('on equal specificity the earlier rule wins', () => {
    expect(resolvePolicy(set, ticket).limits.returnWindow).toEqual(h(6));
    const swapped = { ...set, rules: [set.rules[3], set.rules[2]] };
    const r = resolvePolicy(swapped, ticket);
    expect(r.limits.returnWindow).toEqual(h(3));
    expect(r.ruleIds).toEqual(['complaint', 'complaint-b']);
  });

  it('a rule applies only when every non-null field matches', () => {
    const r = resolvePolicy(set, { ...ticket, regionCode: 'xinan', kind: 'consultation', channel: 'web' });
    expect(r.ruleIds).toEqual(['road', 'road-web']);
    expect(r.limits.acceptanceNotice).toBeNull(); // a rule may set a nullable limit back to null
    expect(r.limits.complete).toEqual(h(12));
  });

  it('falls back to the complete defaults when no rule applies', () => {
    const r = resolvePolicy(set, { regionCode: 'xinan', category: 'tax', kind: 'praise', channel: 'sms' });
    expect(r).toEqual({ code: 'X', version: 7, ruleIds: [], limits: BASELINE, calendarId: 'cn-mainland' });
    for (const key of SLA_LIMIT_KEYS) expect(r.limits[key]).not.toBeUndefined();
  });

  it('returns a copy: changing the result never changes the policy set', () => {
    const r = resolvePolicy(set, ticket);
    r.limits.sign.amount = 99;
    r.limits.reminderFractions.push(0.9);
    expect(set.defaults.reminderFractions).toEqual([0.5, 0.8]);
    expect(set.rules[1].limits.sign).toEqual(h(2));
    expect(resolvePolicy(set, ticket).limits.sign).toEqual(h(2));
  });

  it('is deterministic', () => {
    expect(resolvePolicy(set, ticket)).toEqual(resolvePolicy(set, ticket));
  });
});

describe('validatePolicySet', () => {
  it('normalises string durations to {amount, unit} and keeps object ones', () => {
    const raw = jsonSet();
    (raw.defaults as Record<string, unknown>).sign = { amount: 90, unit: 'minutes' };
    (raw.defaults as Record<string, unknown>).rectification = '1.5h';
    (raw.defaults as Record<string, unknown>).manualCallback = '4wh';
    const set = validatePolicySet(raw);
    expect(set.defaults.complete).toEqual(h(12));
    expect(set.defaults.extensionCap).toEqual(d(6));
    expect(set.defaults.evaluatorDecision).toEqual(wd(2));
    expect(set.defaults.sign).toEqual({ amount: 90, unit: 'minutes' });
    expect(set.defaults.rectification).toEqual(h(1.5));
    expect(set.defaults.manualCallback).toEqual({ amount: 4, unit: 'working_hours' });
    expect(set.rules[0]).toEqual({
      id: 'r1',
      name: '投诉',
      match: { kind: 'complaint' },
      limits: { complete: wd(7) },
    });
    expect(set.version).toBe(3);
  });

  it('accepts a zero extension cap (no extensions) and nullable limits as null or a duration', () => {
    const raw = jsonSet();
    Object.assign(raw.defaults as object, {
      extensionCap: '0d',
      acceptanceNotice: '5d',
      reconsideration: null,
    });
    const set = validatePolicySet(raw);
    expect(set.defaults.extensionCap).toEqual(d(0));
    expect(set.defaults.acceptanceNotice).toEqual(d(5));
    expect(set.defaults.reconsideration).toBeNull();
  });

  it('accepts empty reminder fractions (no reminders) and no rules', () => {
    const raw = jsonSet();
    Object.assign(raw.defaults as object, { reminderFractions: [] });
    raw.rules = [];
    expect(validatePolicySet(raw).defaults.reminderFractions).toEqual([]);
  });

  it('a new set without a version is version 1', () => {
    const raw = jsonSet();
    delete raw.version;
    expect(validatePolicySet(raw).version).toBe(1);
  });

  it('does not share objects with its input', () => {
    const raw = jsonSet();
    (raw.defaults as Record<string, unknown>).sign = { amount: 1, unit: 'hours' };
    const set = validatePolicySet(raw);
    expect(set.defaults.sign).not.toBe((raw.defaults as Record<string, unknown>).sign);
    expect(set.defaults.reminderFractions).not.toBe(
      (raw.defaults as Record<string, unknown>).reminderFractions,
    );
  });

  it('throws a PolicyError, a validation_failed DomainError carrying the problems', () => {
    const raw = jsonSet();
    delete raw.defaults;
    let error: unknown;
    try {
      validatePolicySet(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect((error as PolicyError).code).toBe('validation_failed');
    expect((error as PolicyError).details).toEqual({ problems: (error as PolicyError).problems });
    expect((error as PolicyError).message).toContain('defaults is required');
  });

  const withDefault = (key: string, value: unknown) => {
    const raw = jsonSet();
    (raw.defaults as Record<string, unknown>)[key] = value;
    return raw;
  };
  const withRule = (rule: unknown, ...more: unknown[]): Record<string, unknown> => ({
    ...jsonSet(),
    rules: [rule, ...more],
  });
  const rule = { id: 'r', name: '规则', match: { kind: 'complaint' }, limits: { complete: '7wd' } };

  it.each([
    ['not an object', 'nope', /must be an object/],
    ['an array', [], /must be an object/],
    ['missing defaults', { ...jsonSet(), defaults: undefined }, /^defaults is required/],
    ['incomplete defaults', withDefault('complete', undefined), /^defaults\.complete is required$/],
    ['a null non-nullable limit', withDefault('sign', null), /^defaults\.sign must be a duration/],
    [
      'an unknown duration string',
      withDefault('sign', '1 hour'),
      /^defaults\.sign "1 hour" is not a duration/,
    ],
    ['an unknown suffix', withDefault('sign', '1y'), /^defaults\.sign "1y" is not a duration/],
    ['a number for a duration', withDefault('sign', 60), /^defaults\.sign must be a duration/],
    [
      'an unknown unit',
      withDefault('sign', { amount: 1, unit: 'weeks' }),
      /^defaults\.sign\.unit must be one of/,
    ],
    ['a missing amount', withDefault('sign', { unit: 'hours' }), /^defaults\.sign\.amount must be a number/],
    [
      'a string amount',
      withDefault('sign', { amount: '1', unit: 'hours' }),
      /^defaults\.sign\.amount must be a number/,
    ],
    [
      'a negative limit',
      withDefault('complete', { amount: -1, unit: 'hours' }),
      /^defaults\.complete\.amount must be greater than zero/,
    ],
    ['a zero limit', withDefault('sign', '0h'), /^defaults\.sign\.amount must be greater than zero, got 0/],
    [
      'a zero nullable limit',
      withDefault('acceptanceNotice', '0d'),
      /^defaults\.acceptanceNotice\.amount must be greater than zero/,
    ],
    [
      'a negative extension cap',
      withDefault('extensionCap', { amount: -1, unit: 'days' }),
      /^defaults\.extensionCap\.amount must be zero or more/,
    ],
    [
      'fractional working days',
      withDefault('evaluatorDecision', { amount: 1.5, unit: 'working_days' }),
      /^defaults\.evaluatorDecision\.amount must be a whole number of working days/,
    ],
    [
      'a limit over a year',
      withDefault('votingWindow', '400d'),
      /^defaults\.votingWindow\.amount must be at most 366 days/,
    ],
    [
      'infinity',
      withDefault('sign', { amount: Infinity, unit: 'hours' }),
      /^defaults\.sign\.amount must be a number/,
    ],
    [
      'an extra field in a duration',
      withDefault('sign', { amount: 1, unit: 'hours', note: 'x' }),
      /^defaults\.sign\.note is not a known field/,
    ],
    [
      'a reminder fraction of 0',
      withDefault('reminderFractions', [0, 0.5]),
      /^defaults\.reminderFractions\[0\] must be a number strictly between 0 and 1/,
    ],
    [
      'a reminder fraction of 1',
      withDefault('reminderFractions', [0.5, 1]),
      /^defaults\.reminderFractions\[1\] must be a number strictly between 0 and 1/,
    ],
    [
      'a reminder fraction over 1',
      withDefault('reminderFractions', [1.5]),
      /^defaults\.reminderFractions\[0\] must be a number strictly between/,
    ],
    [
      'a reminder fraction as a string',
      withDefault('reminderFractions', ['0.5']),
      /^defaults\.reminderFractions\[0\] must be a number/,
    ],
    [
      'descending reminder fractions',
      withDefault('reminderFractions', [0.8, 0.5]),
      /^defaults\.reminderFractions\[1\] must be greater than defaults\.reminderFractions\[0\]/,
    ],
    [
      'repeated reminder fractions',
      withDefault('reminderFractions', [0.5, 0.5]),
      /^defaults\.reminderFractions\[1\] must be greater than/,
    ],
    [
      'reminder fractions not an array',
      withDefault('reminderFractions', 0.5),
      /^defaults\.reminderFractions must be an array/,
    ],
    ['a misspelt limit', withDefault('compelte', '12h'), /^defaults\.compelte is not a known field/],
    ['an unknown top-level field', { ...jsonSet(), active: true }, /^policy\.active is not a known field/],
    ['a bad code', { ...jsonSet(), code: 'S Q' }, /^code must be/],
    ['a missing code', { ...jsonSet(), code: undefined }, /^code must be/],
    ['a zero version', { ...jsonSet(), version: 0 }, /^version must be a whole number ≥ 1/],
    ['a fractional version', { ...jsonSet(), version: 1.5 }, /^version must be a whole number ≥ 1/],
    ['an empty name', { ...jsonSet(), name: ' ' }, /^name is required/],
    ['a missing source', { ...jsonSet(), source: undefined }, /^source is required/],
    ['a missing calendar', { ...jsonSet(), calendarId: '' }, /^calendarId is required/],
    ['rules not an array', { ...jsonSet(), rules: {} }, /^rules must be an array/],
    ['a rule that is not an object', withRule('r'), /^rules\[0\] must be an object/],
    [
      'duplicate rule ids',
      withRule(rule, { ...rule, match: { kind: 'report' } }),
      /^rules\[1\]\.id "r" duplicates rules\[0\]\.id$/,
    ],
    ['a rule without an id', withRule({ ...rule, id: '' }), /^rules\[0\]\.id is required/],
    ['a rule without a name', withRule({ ...rule, name: undefined }), /^rules\[0\]\.name is required/],
    [
      'an unknown kind',
      withRule({ ...rule, match: { kind: 'complain' } }),
      /^rules\[0\]\.match\.kind must be one of .*got "complain"/,
    ],
    [
      'an unknown channel',
      withRule({ ...rule, match: { channel: 'fax' } }),
      /^rules\[0\]\.match\.channel must be one of .*got "fax"/,
    ],
    [
      'an unknown channel detail',
      withRule({ ...rule, match: { channel: 'leader_mailbox', channelDetail: 'king' } }),
      /^rules\[0\]\.match\.channelDetail must be one of .*got "king"/,
    ],
    [
      'a channel detail of another channel',
      withRule({ ...rule, match: { channel: 'phone', channelDetail: 'mayor' } }),
      /^rules\[0\]\.match: channel phone has no channelDetail/,
    ],
    [
      'an empty region',
      withRule({ ...rule, match: { kind: 'complaint', regionCode: '' } }),
      /^rules\[0\]\.match\.regionCode must be a non-empty string/,
    ],
    [
      'a numeric category',
      withRule({ ...rule, match: { category: 7 } }),
      /^rules\[0\]\.match\.category must be a non-empty string/,
    ],
    [
      'a match naming nothing',
      withRule({ ...rule, match: {} }),
      /^rules\[0\]\.match must name at least one of/,
    ],
    [
      'a match of nulls',
      withRule({ ...rule, match: { kind: null, channel: null } }),
      /^rules\[0\]\.match must name at least one of/,
    ],
    [
      'a misspelt match field',
      withRule({ ...rule, match: { kinds: 'complaint' } }),
      /^rules\[0\]\.match\.kinds is not a known field/,
    ],
    ['a rule without match', withRule({ ...rule, match: undefined }), /^rules\[0\]\.match must be an object/],
    [
      'a rule that sets no limit',
      withRule({ ...rule, limits: {} }),
      /^rules\[0\]\.limits must set at least one limit/,
    ],
    [
      'a rule without limits',
      withRule({ ...rule, limits: undefined }),
      /^rules\[0\]\.limits must be an object/,
    ],
    [
      'a bad limit in a rule',
      withRule({ ...rule, limits: { complete: '7x' } }),
      /^rules\[0\]\.limits\.complete "7x" is not a duration/,
    ],
    [
      'a misspelt limit in a rule',
      withRule({ ...rule, limits: { complet: '7wd' } }),
      /^rules\[0\]\.limits\.complet is not a known field/,
    ],
    [
      'an extra field in a rule',
      withRule({ ...rule, priority: 1 }),
      /^rules\[0\]\.priority is not a known field/,
    ],
  ] as [string, unknown, RegExp][])('rejects %s, naming the field', (_, raw, problem) => {
    const problems = problemsOf(raw);
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });

  it('lists every problem at once', () => {
    const raw = withRule(
      { ...rule, id: 'a', match: { kind: 'complain' } },
      { ...rule, id: 'a', limits: { sign: '-1h' } },
    );
    Object.assign(raw.defaults as object, { reminderFractions: [0.9, 0.3], dispatch: '3 days' });
    const problems = problemsOf(raw);
    expect(problems).toEqual([
      'defaults.dispatch "3 days" is not a duration (e.g. "30m", "12h", "6d", "2wd", "4wh")',
      'defaults.reminderFractions[1] must be greater than defaults.reminderFractions[0] (ascending, no repeats)',
      expect.stringMatching(/^rules\[0\]\.match\.kind must be one of/),
      'rules[1].id "a" duplicates rules[0].id',
      'rules[1].limits.sign "-1h" is not a duration (e.g. "30m", "12h", "6d", "2wd", "4wh")',
    ]);
  });
});
