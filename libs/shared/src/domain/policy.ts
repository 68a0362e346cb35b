import { DURATION_UNITS, parseDuration } from './calendar';
import type { Duration, DurationUnit } from './calendar';
import { DomainError } from './errors';
import { ALL_CHANNEL_DETAILS, APPEAL_KINDS, CHANNELS, channelDetailProblem, isOneOf } from './vocabulary';
import type { AppealKind, Channel, ChannelDetail } from './vocabulary';

/**
 * SLA policy as data (RULES §2: "another locality's values go in its own policy"; per region and
 * per category, not code branches). A policy set holds complete defaults and rules that override
 * some limits for the tickets they match; a deployment picks its set, and a ticket keeps the
 * version it started with. Durations are clock time (24 × 7) or working time on the set's calendar.
 */
export interface SlaLimits {
  /** Answer a ticket that can be answered directly (SQ art. 10.3: 4 h). */
  directReply: Duration;
  /** The centre dispatches after intake (SQ: same day; SZ network items 3 wd, leader mailbox 2 d). */
  dispatch: Duration;
  /** Notify the petitioner of acceptance (SZ leader mailbox: 5 d); null when not required. */
  acceptanceNotice: Duration | null;
  /** The unit signs a dispatched ticket (SQ: 1 h). */
  sign: Duration;
  /** Reply deadline after dispatch (SQ 12 h; SZ consultation/suggestion 24 h; GS complaint 7 wd). */
  complete: Duration;
  /** A unit may return a ticket within this long after dispatch (SQ art. 10.4: 12 h). */
  returnWindow: Duration;
  /** Total extension allowed (SQ 6 d; GS +3 wd); zero means no extension. */
  extensionCap: Duration;
  /** The centre reviews a reply (答复认定). */
  reviewDecision: Duration;
  /** How long the SMS callback waits for an answer before a manual callback task. */
  callbackSmsWait: Duration;
  /** The operator's limit for the manual callback. */
  manualCallback: Duration;
  /** The unit's limit to verify and rectify (核实整改) after an unsatisfied manual callback. */
  rectification: Duration;
  /** The expert evaluator decides (PA §3: 2 working days). */
  evaluatorDecision: Duration;
  /** SMS reminder to the expert evaluator this long after assignment (PA §3: 24 h). */
  evaluatorReminderAfter: Duration;
  /** Forum evaluation window from the "handled" mark (SZ 寒山闻钟: 15 d). */
  votingWindow: Duration;
  /** Review on the complainant's request (GS: 10 wd); null when the policy has no reconsideration. */
  reconsideration: Duration | null;
  /** How long after closure the complainant may ask for that review (GS: 15 d, chosen); null: none. */
  reconsiderationRequestWindow: Duration | null;
  /** Reminders before each deadline, as fractions of the time allowed, ascending, each in (0,1): e.g. [0.5, 0.8] */
  reminderFractions: number[];
}

/** A rule applies to a ticket when every non-null field equals the ticket's. */
export interface PolicyMatch {
  regionCode?: string | null;
  category?: string | null;
  kind?: AppealKind | null;
  channel?: Channel | null;
  /** Which leader mailbox or upper platform (CHANNEL_DETAILS). */
  channelDetail?: ChannelDetail | null;
}

export interface PolicyRule {
  id: string;
  /** Chinese, for the administrator. */
  name: string;
  match: PolicyMatch;
  limits: Partial<SlaLimits>;
}

export interface PolicySet {
  /** 'SQ' | 'SZ' | 'GS' or any other deployment's code. */
  code: string;
  /** A ticket keeps the version it started with. */
  version: number;
  /** Chinese. */
  name: string;
  /** The regulation it encodes. */
  source: string;
  /** The working-day calendar for working-time durations, e.g. 'cn-mainland'. */
  calendarId: string;
  /** Always complete: the fallback. */
  defaults: SlaLimits;
  /** More specific overrides. */
  rules: PolicyRule[];
}

export interface ResolvedPolicy {
  code: string;
  version: number;
  /** The rules applied, in overlay order (least specific first). */
  ruleIds: string[];
  limits: SlaLimits;
  calendarId: string;
}

export interface PolicyTicket {
  regionCode: string;
  category: string;
  kind: AppealKind;
  channel: Channel;
  /** Which leader mailbox or upper platform; absent or null: not said (a rule naming one then does not apply). */
  channelDetail?: ChannelDetail | null;
}

/** What each limit holds; a Record so that a new limit cannot be forgotten here. */
type LimitShape = 'duration' | 'duration_or_zero' | 'duration_or_null' | 'fractions';
const LIMIT_SHAPES: Record<keyof SlaLimits, LimitShape> = {
  directReply: 'duration',
  dispatch: 'duration',
  acceptanceNotice: 'duration_or_null',
  sign: 'duration',
  complete: 'duration',
  returnWindow: 'duration',
  extensionCap: 'duration_or_zero',
  reviewDecision: 'duration',
  callbackSmsWait: 'duration',
  manualCallback: 'duration',
  rectification: 'duration',
  evaluatorDecision: 'duration',
  evaluatorReminderAfter: 'duration',
  votingWindow: 'duration',
  reconsideration: 'duration_or_null',
  reconsiderationRequestWindow: 'duration_or_null',
  reminderFractions: 'fractions',
};

/** Every limit's name, in declaration order. */
export const SLA_LIMIT_KEYS = Object.keys(LIMIT_SHAPES) as (keyof SlaLimits)[];

const MATCH_KEYS = ['regionCode', 'category', 'kind', 'channel', 'channelDetail'] as const;

/**
 * The longest limit accepted, per unit: a year (366 days) in clock units, 366 working days or
 * their hours in working units. Anything longer is a typo, and would overflow date arithmetic.
 */
export const MAX_DURATION_AMOUNT: Record<DurationUnit, number> = {
  minutes: 366 * 24 * 60,
  hours: 366 * 24,
  days: 366,
  working_days: 366,
  working_hours: 366 * 24,
};

// ---------------------------------------------------------------------------------------------
// Resolution

/** How specific a match is: the number of its non-null fields (0–5). */
function specificity(match: PolicyMatch): number {
  return MATCH_KEYS.filter((k) => match[k] !== null && match[k] !== undefined).length;
}

function applies(match: PolicyMatch, ticket: PolicyTicket): boolean {
  return MATCH_KEYS.every(
    (k) => match[k] === null || match[k] === undefined || match[k] === (ticket[k] ?? null),
  );
}

function copyDuration(d: Duration): Duration;
function copyDuration(d: Duration | null): Duration | null;
function copyDuration(d: Duration | null): Duration | null {
  return d === null ? null : { amount: d.amount, unit: d.unit };
}

function copyLimit<K extends keyof SlaLimits>(key: K, value: SlaLimits[K]): SlaLimits[K] {
  if (LIMIT_SHAPES[key] === 'fractions') return [...(value as number[])] as SlaLimits[K];
  return copyDuration(value as Duration | null) as SlaLimits[K];
}

function overlay(target: SlaLimits, limits: Partial<SlaLimits>): void {
  for (const key of SLA_LIMIT_KEYS) {
    const value = limits[key];
    if (value !== undefined) (target as unknown as Record<string, unknown>)[key] = copyLimit(key, value);
  }
}

/**
 * The limits a ticket is held to. Deterministic:
 * - a rule applies when each non-null field of its match equals the ticket's;
 * - the result is the set's defaults overlaid by EVERY applicable rule, from the least specific to
 *   the most specific (specificity = the number of non-null match fields), so a region rule and a
 *   kind rule both contribute their fields and, where they set the same limit, the more specific
 *   one wins;
 * - on equal specificity the rule listed EARLIER in `rules` wins (it is overlaid later), like a
 *   first-match list;
 * - `ruleIds` lists the applied rules in overlay order; the limits are a fresh copy.
 */
export function resolvePolicy(set: PolicySet, ticket: PolicyTicket): ResolvedPolicy {
  const applicable = set.rules
    .map((rule, index) => ({ rule, index, specificity: specificity(rule.match) }))
    .filter(({ rule }) => applies(rule.match, ticket))
    .sort((a, b) => a.specificity - b.specificity || b.index - a.index);
  const limits = {} as SlaLimits;
  overlay(limits, set.defaults);
  for (const { rule } of applicable) overlay(limits, rule.limits);
  return {
    code: set.code,
    version: set.version,
    ruleIds: applicable.map(({ rule }) => rule.id),
    limits,
    calendarId: set.calendarId,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A policy set is malformed. `problems` names each bad field; the edge answers 400 with them. */
export class PolicyError extends DomainError {
  constructor(readonly problems: string[]) {
    super('validation_failed', `invalid policy set:\n  - ${problems.join('\n  - ')}`, { problems });
    this.name = 'PolicyError';
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function unknownKeys(obj: Json, allowed: readonly string[], path: string, problems: string[]): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) problems.push(`${path}.${key} is not a known field`);
}

/**
 * A duration from JSON: `{ amount, unit }` or the calendar's text form ('30m', '12h', '6d', '2wd',
 * '4wh', '1.5h'). As in the calendar, the amount may be fractional except in working days. It must
 * be positive — zero only where `allowZero` — and at most MAX_DURATION_AMOUNT of its unit.
 */
function readDuration(
  v: unknown,
  path: string,
  allowZero: boolean,
  problems: string[],
): Duration | undefined {
  let amount: unknown;
  let unit: unknown;
  if (typeof v === 'string') {
    try {
      ({ amount, unit } = parseDuration(v.trim()));
    } catch {
      problems.push(`${path} "${v}" is not a duration (e.g. "30m", "12h", "6d", "2wd", "4wh")`);
      return undefined;
    }
  } else if (isObject(v)) {
    unknownKeys(v, ['amount', 'unit'], path, problems);
    ({ amount, unit } = v);
  } else {
    problems.push(`${path} must be a duration: {amount, unit} or a string such as "12h"`);
    return undefined;
  }
  const problemsBefore = problems.length;
  if (!isOneOf(DURATION_UNITS, unit))
    problems.push(`${path}.unit must be one of ${DURATION_UNITS.join('|')}, got ${JSON.stringify(unit)}`);
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    problems.push(`${path}.amount must be a number, got ${JSON.stringify(amount)}`);
  else if (amount < 0 || (amount === 0 && !allowZero))
    problems.push(
      `${path}.amount must be ${allowZero ? 'zero or more' : 'greater than zero'}, got ${amount}`,
    );
  else if (unit === 'working_days' && !Number.isInteger(amount))
    problems.push(`${path}.amount must be a whole number of working days, got ${amount}`);
  else if (isOneOf(DURATION_UNITS, unit) && amount > MAX_DURATION_AMOUNT[unit])
    problems.push(`${path}.amount must be at most ${MAX_DURATION_AMOUNT[unit]} ${unit}, got ${amount}`);
  return problems.length === problemsBefore
    ? { amount: amount as number, unit: unit as DurationUnit }
    : undefined;
}

function readFractions(v: unknown, path: string, problems: string[]): number[] | undefined {
  if (!Array.isArray(v)) {
    problems.push(`${path} must be an array of fractions in (0,1), ascending`);
    return undefined;
  }
  let ok = true;
  v.forEach((f, i) => {
    if (typeof f !== 'number' || !Number.isFinite(f) || f <= 0 || f >= 1) {
      problems.push(`${path}[${i}] must be a number strictly between 0 and 1, got ${JSON.stringify(f)}`);
      ok = false;
    } else if (i > 0 && typeof v[i - 1] === 'number' && f <= v[i - 1]) {
      problems.push(`${path}[${i}] must be greater than ${path}[${i - 1}] (ascending, no repeats)`);
      ok = false;
    }
  });
  return ok ? [...(v as number[])] : undefined;
}

function readLimit(key: keyof SlaLimits, v: unknown, path: string, problems: string[]): unknown {
  switch (LIMIT_SHAPES[key]) {
    case 'fractions':
      return readFractions(v, path, problems);
    case 'duration_or_null':
      return v === null ? null : readDuration(v, path, false, problems);
    case 'duration_or_zero':
      return readDuration(v, path, true, problems);
    case 'duration':
      return readDuration(v, path, false, problems);
  }
}

/** Reads limits; `complete` demands every limit (the defaults), otherwise any non-empty subset. */
function readLimits(v: unknown, path: string, complete: boolean, problems: string[]): Partial<SlaLimits> {
  const out: Record<string, unknown> = {};
  if (!isObject(v)) {
    problems.push(
      complete ? `${path} is required (an object with every limit)` : `${path} must be an object of limits`,
    );
    return out;
  }
  unknownKeys(v, SLA_LIMIT_KEYS, path, problems);
  for (const key of SLA_LIMIT_KEYS) {
    if (v[key] === undefined) {
      if (complete) problems.push(`${path}.${key} is required`);
      continue;
    }
    const value = readLimit(key, v[key], `${path}.${key}`, problems);
    if (value !== undefined) out[key] = value;
  }
  if (!complete && Object.keys(v).length === 0) problems.push(`${path} must set at least one limit`);
  return out as Partial<SlaLimits>;
}

function readMatch(v: unknown, path: string, problems: string[]): PolicyMatch {
  const out: PolicyMatch = {};
  if (!isObject(v)) {
    problems.push(`${path} must be an object with some of ${MATCH_KEYS.join(', ')}`);
    return out;
  }
  unknownKeys(v, MATCH_KEYS, path, problems);
  for (const key of ['regionCode', 'category'] as const) {
    const x = v[key];
    if (x === undefined || x === null) continue;
    if (nonEmptyString(x)) out[key] = x;
    else problems.push(`${path}.${key} must be a non-empty string or null`);
  }
  if (v.kind !== undefined && v.kind !== null) {
    if (isOneOf(APPEAL_KINDS, v.kind)) out.kind = v.kind;
    else
      problems.push(`${path}.kind must be one of ${APPEAL_KINDS.join('|')}, got ${JSON.stringify(v.kind)}`);
  }
  if (v.channel !== undefined && v.channel !== null) {
    if (isOneOf(CHANNELS, v.channel)) out.channel = v.channel;
    else
      problems.push(`${path}.channel must be one of ${CHANNELS.join('|')}, got ${JSON.stringify(v.channel)}`);
  }
  if (v.channelDetail !== undefined && v.channelDetail !== null) {
    if (isOneOf(ALL_CHANNEL_DETAILS, v.channelDetail)) out.channelDetail = v.channelDetail;
    else
      problems.push(
        `${path}.channelDetail must be one of ${ALL_CHANNEL_DETAILS.join('|')}, got ${JSON.stringify(v.channelDetail)}`,
      );
  }
  if (out.channel && out.channelDetail) {
    const problem = channelDetailProblem(out.channel, out.channelDetail);
    if (problem) problems.push(`${path}: ${problem}`);
  }
  if (MATCH_KEYS.every((k) => v[k] === undefined || v[k] === null))
    problems.push(
      `${path} must name at least one of ${MATCH_KEYS.join(', ')} (a rule for every ticket belongs in defaults)`,
    );
  return out;
}

/**
 * Checks a policy set from the admin API or the database and returns it normalised (durations as
 * `{ amount, unit }`, fresh objects). Throws PolicyError listing every problem, each naming its
 * field: unknown fields at any level (a misspelt limit would otherwise be silently ignored), a
 * code other than 1–32 letters, digits, '_' or '-', a version that is not a positive whole number,
 * empty name/source/calendarId, missing or incomplete defaults, durations that do not parse, have
 * an unknown unit or fractional working days, are zero (allowed only for extensionCap: no
 * extension) or negative, or exceed MAX_DURATION_AMOUNT; reminder fractions outside (0,1) or not strictly ascending; rules without an id or name,
 * duplicate rule ids, a match naming no field, an unknown kind or channel, an empty region or
 * category, and rules that set no limit. `acceptanceNotice` and `reconsideration` may be null (not
 * required). A missing version means a new set: version 1 (the repository numbers saved versions).
 */
export function validatePolicySet(set: unknown): PolicySet {
  const problems: string[] = [];
  if (!isObject(set)) throw new PolicyError(['the policy set must be an object']);
  unknownKeys(
    set,
    ['code', 'version', 'name', 'source', 'calendarId', 'defaults', 'rules'],
    'policy',
    problems,
  );
  const code = set.code;
  if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(code))
    problems.push('code must be 1–32 letters, digits, "_" or "-"');
  let version = 1;
  if (set.version !== undefined) {
    if (typeof set.version === 'number' && Number.isInteger(set.version) && set.version >= 1)
      version = set.version;
    else problems.push(`version must be a whole number ≥ 1, got ${JSON.stringify(set.version)}`);
  }
  for (const key of ['name', 'source', 'calendarId'] as const)
    if (!nonEmptyString(set[key])) problems.push(`${key} is required (a non-empty string)`);
  const defaults = readLimits(set.defaults, 'defaults', true, problems) as SlaLimits;
  const rules: PolicyRule[] = [];
  if (!Array.isArray(set.rules)) problems.push('rules must be an array (empty when there are no overrides)');
  else {
    const seen = new Map<string, number>();
    set.rules.forEach((raw, i) => {
      const path = `rules[${i}]`;
      if (!isObject(raw)) {
        problems.push(`${path} must be an object {id, name, match, limits}`);
        return;
      }
      unknownKeys(raw, ['id', 'name', 'match', 'limits'], path, problems);
      if (!nonEmptyString(raw.id)) problems.push(`${path}.id is required (a non-empty string)`);
      else if (seen.has(raw.id))
        problems.push(`${path}.id "${raw.id}" duplicates rules[${seen.get(raw.id)}].id`);
      else seen.set(raw.id, i);
      if (!nonEmptyString(raw.name)) problems.push(`${path}.name is required (a non-empty string)`);
      rules.push({
        id: String(raw.id),
        name: String(raw.name),
        match: readMatch(raw.match, `${path}.match`, problems),
        limits: readLimits(raw.limits, `${path}.limits`, false, problems),
      });
    });
  }
  if (problems.length > 0) throw new PolicyError(problems);
  return {
    code: code as string,
    version,
    name: set.name as string,
    source: set.source as string,
    calendarId: set.calendarId as string,
    defaults,
    rules,
  };
}

// ---------------------------------------------------------------------------------------------
// Seed policy sets (RULES §2, §4). Numbers are requirements; values RULES leaves open are marked
// "chosen" with the reason.

const hours = (amount: number): Duration => ({ amount, unit: 'hours' });
const days = (amount: number): Duration => ({ amount, unit: 'days' });
const workingDays = (amount: number): Duration => ({ amount, unit: 'working_days' });

/** The platform baseline: SQ art. 10.3–10.5 and PA §3, shared by the seed sets as their defaults. */
function baselineLimits(): SlaLimits {
  return {
    directReply: hours(4), // SQ art. 10.3
    dispatch: hours(12), // chosen: "same day" (SZ) as a 12 h clock, since intake runs 24 × 7
    acceptanceNotice: null, // chosen: SQ requires no acceptance notice
    sign: hours(1), // SQ art. 10.3
    complete: hours(12), // SQ art. 10.3 "12 h in principle"
    returnWindow: hours(12), // SQ art. 10.4
    extensionCap: days(6), // SQ art. 10.3: total extension ≤ 6 days
    reviewDecision: hours(4), // chosen: like a direct reply, so the review does not hold up the callback
    callbackSmsWait: hours(24), // chosen: a day for the citizen to answer the SMS
    manualCallback: hours(24), // chosen: the operator calls back within a day
    rectification: hours(12), // chosen: re-handling gets the original reply limit (SQ 12 h)
    evaluatorDecision: workingDays(2), // PA §3
    evaluatorReminderAfter: hours(24), // PA §3
    votingWindow: days(15), // SZ 寒山闻钟
    reconsideration: null, // chosen: SQ has no reconsideration
    reconsiderationRequestWindow: null,
    reminderFractions: [0.5, 0.8], // chosen: at half and at four fifths of the time allowed
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** 宿迁 (SQ): the platform's default limits, no overrides. */
export const SQ_POLICY: PolicySet = deepFreeze({
  code: 'SQ',
  version: 1,
  name: '宿迁市12345热线办理时限',
  source: '宿迁市12345热线平台运行管理办法（2020）第10条；公众诉求管理系统运行办法（专业评价员）',
  calendarId: 'cn-mainland',
  defaults: baselineLimits(),
  rules: [],
});

/**
 * 苏州高新区 (SZ): SQ's defaults, with the SZ limits as rules: consultations and suggestions are
 * replied in 24 h; leader-mailbox items are dispatched within 2 days and the petitioner is notified
 * of acceptance within 5 days; network items (the web portal, WeChat, the app, e-mail and the
 * forum: the channels numbered (YYYY)网NNN号) are dispatched within 3 working days. A
 * leader-mailbox consultation gets all three. Version 2: version 1 held the web portal alone to
 * the network items' limit, while it numbered the other four as network items too. Version 3: the
 * acceptance notice is for the provincial and city leaders' mailboxes (RULES §2), not the district
 * leaders', the bureau chiefs' or the conduct hotline's (`channelDetail`).
 */
export const SZ_POLICY: PolicySet = deepFreeze({
  code: 'SZ',
  version: 3,
  name: '苏州高新区12345联动办理时限',
  source: '苏州高新区市场监管12345联动工作制度（办结标准、协调、督办、寒山闻钟满意度评价）',
  calendarId: 'cn-mainland',
  defaults: baselineLimits(),
  rules: [
    {
      id: 'sz-consultation-24h',
      name: '咨询类24小时内答复',
      match: { kind: 'consultation' },
      limits: { complete: hours(24) },
    },
    {
      id: 'sz-suggestion-24h',
      name: '建议类24小时内答复',
      match: { kind: 'suggestion' },
      limits: { complete: hours(24) },
    },
    {
      id: 'sz-leader-mailbox',
      name: '领导信箱件2日内转办、5日内告知受理',
      match: { channel: 'leader_mailbox' },
      limits: { dispatch: days(2), acceptanceNotice: days(5) },
    },
    // The acceptance notice is for the provincial and city leaders' mailboxes: the district
    // leaders', the bureau chiefs' and the conduct hotline's items have none (version 3). An item
    // whose mailbox is not said keeps it: no notice is missed for want of a detail.
    ...(['district_leader', 'bureau_chief', 'conduct_hotline'] as const).map((channelDetail) => ({
      id: `sz-leader-mailbox-${channelDetail.replace('_', '-')}`,
      name: '区领导信箱、局长信箱、政风行风热线件2日内转办，不另告知受理',
      match: { channel: 'leader_mailbox' as const, channelDetail },
      limits: { acceptanceNotice: null },
    })),
    ...(['web', 'wechat', 'app', 'email', 'forum'] as const).map((channel) => ({
      id: channel === 'web' ? 'sz-network' : `sz-network-${channel}`,
      name: '网络件3个工作日内转办',
      match: { channel },
      limits: { dispatch: workingDays(3) },
    })),
  ],
});

/**
 * 政务服务中心投诉处理 (GS): the platform defaults, with complaints confirmed (signed) within 24 h,
 * answered within 7 working days, extended by at most 3 working days for complex cases, and
 * reconsidered on request within 10 working days.
 */
export const GS_POLICY: PolicySet = deepFreeze({
  code: 'GS',
  version: 1,
  name: '政务服务中心投诉处理时限',
  source: '政务服务中心投诉处理制度、督查督办制度、12345督办工作制度',
  calendarId: 'cn-mainland',
  defaults: baselineLimits(),
  rules: [
    {
      id: 'gs-complaint',
      name: '投诉24小时内确认、7个工作日内答复，复杂情况延长3个工作日，复查10个工作日',
      match: { kind: 'complaint' },
      limits: {
        sign: hours(24),
        complete: workingDays(7),
        extensionCap: workingDays(3),
        reconsideration: workingDays(10),
        // chosen: the GS templates name no period; 15 days from closure, like the forum's vote window
        reconsiderationRequestWindow: days(15),
      },
    },
  ],
});

export const SEED_POLICY_SETS: PolicySet[] = Object.freeze([SQ_POLICY, SZ_POLICY, GS_POLICY]) as PolicySet[];
