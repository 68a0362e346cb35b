import { brokenPromise, latePromise, promiseCores } from './service-promise';
/**
 * The closure standard (办结标准, RULES §3; SZ closure standard art. 2–5): whether a unit's reply
 * may close a ticket. The centre reviews every reply for being standard, specific and complete; this
 * check finds the defects a reviewer would send back. It reads text, so it is a heuristic on phrase
 * lists: the lists are exported data a deployment can extend (pass them as `opts.phrases`), and the
 * structured fields of the reply (isPlan, plannedCompletionDate, responsibleDepartment) are the
 * reliable way to state a plan or a department.
 *
 * A reply may NOT close (art. 5) when:
 * 1. still_in_progress — it says the matter is still being handled (正在办理中, 处理中, 正在核实…),
 *    unless it is a plan with a date;
 * 2. handled_without_content — it is only "已处理" and the like: after removing punctuation, spaces,
 *    polite framing (您好, 您反映的问题, 谢谢…) and the done-phrases nothing is left, or it contains a
 *    done-phrase and is shorter than `minLength`;
 * 3. no_plan_or_date — it is a plan (isPlan, closureBasis 'long_cycle_plan', or 计划/将于/拟于/
 *    下一步… in the text) without a valid plannedCompletionDate or a date in the plan's sentence
 *    (YYYY年M月D日, M月D日/号, YYYY-MM-DD, YYYY/M/D, YYYY年M月底, YYYY年底); "下一步" followed
 *    within ROUTINE_WINDOW characters by a routine word (加强, 继续, 持续, 进一步, 做好, 强化) is
 *    the unit's routine commitment (下一步，我局将加强巡查), not a plan for this matter;
 * 4. no_responsible_department — responsibleDepartment is explicitly '' (or blank); or the text says
 *    duties are unclear / overlap / need coordination (职责不清, 职责交叉, 需协调…), which the centre
 *    must settle first; or it says the matter is not the unit's duty (不属于本单位职责…) without
 *    naming the responsible department in responsibleDepartment;
 * 5. contradicts_service_promise — for a promise in `opts.servicePromises`, the reply has a negation
 *    (无法, 不能, 不予…) followed, in the same clause and within NEGATION_WINDOW characters, by the
 *    promise's key phrase: the promise without its leading time limit ('24小时内上门' → '上门',
 *    '3个工作日内退款' → '退款'; '免费上门维修' stays whole). Write promises with the verb first.
 * And it is not a reply at all when it is `empty`, or `too_short` (fewer than `minLength`
 * characters, default 15; letters and digits count, punctuation and spaces do not).
 *
 * A reply MAY close although the citizen is not fully satisfied (art. 2–4) when it invokes an
 * accepted basis (`closureBasis`): the unit has done its utmost, objective limits were explained, a
 * long-cycle matter has a plan, a recurrent nuisance was stopped on site, a repair job has staff
 * sent. A basis never excuses defects 1–4 (nor 5): an exception is about the outcome, not about a
 * reply without content. `trackUntilDone` tells the centre to keep tracking a closed ticket: a plan,
 * a long-cycle matter, a dispatched repair (art. 4).
 */

import { hasVisibleText, visibleText } from './text';

export const CLOSURE_DEFECTS = [
  'still_in_progress',
  'handled_without_content',
  'no_plan_or_date',
  'no_responsible_department',
  'contradicts_service_promise',
  'empty',
  'too_short',
] as const;
export type ClosureDefect = (typeof CLOSURE_DEFECTS)[number];

/** The accepted exceptions of art. 2–4: the outcome may fall short of the citizen's wish. */
export const CLOSURE_BASES = [
  'resolved',
  'utmost_done',
  'objective_limits_explained',
  'long_cycle_plan',
  'nuisance_stopped',
  'repair_dispatched',
] as const;
export type ClosureBasis = (typeof CLOSURE_BASES)[number];

export interface ReplyDraft {
  content: string;
  /** the unit's answer to "which department is responsible" */
  responsibleDepartment?: string | null;
  /** promised completion date for a plan, 'YYYY-MM-DD' */
  plannedCompletionDate?: string | null;
  /** the reply says the matter will be handled later (a plan) rather than done */
  isPlan?: boolean;
  /** true when the reply invokes an accepted exception of art. 2–4 */
  closureBasis?: ClosureBasis | null;
}

export interface ClosureCheck {
  closable: boolean;
  /** At most one per code, in the order of CLOSURE_DEFECTS. */
  defects: { code: ClosureDefect; message: string /* Chinese, for the clerk */ }[];
  /** The centre keeps tracking the ticket after closing: a plan, a long-cycle matter, a repair sent (art. 4). */
  trackUntilDone: boolean;
}

/** The phrase lists the check reads; every list is plain strings so a deployment can keep it as data. */
export interface ClosurePhrases {
  /** The matter is still being handled (art. 5.1). */
  inProgress: readonly string[];
  /** Bare "done" with nothing about what was done (art. 5.2); '已经' is read as '已'. */
  bareDone: readonly string[];
  /** Framing and courtesy that carry no content; removed when looking for content (art. 5.2). */
  filler: readonly string[];
  /** The reply announces a plan (art. 5.3). */
  plan: readonly string[];
  /** After '下一步' in the same clause: a routine commitment, not a plan for this matter. */
  routineFollowUp: readonly string[];
  /** Duties unclear, overlapping or needing coordination: never closable (art. 5.4). */
  responsibilityUnclear: readonly string[];
  /** "Not our duty": closable only with the responsible department named (art. 5.4). */
  notOwnDuty: readonly string[];
  /** Negations that contradict a promise when followed by its key phrase (art. 5.5). */
  negation: readonly string[];
  /** Text that contains a listed phrase but means something else; masked before matching. */
  falseFriends: readonly string[];
  /**
   * "Needs coordinating" (需协调…): duties needing coordination (art. 5.4) only where its clause
   * speaks of duties or who leads (职责, 牵头, 主管…) or it ends the clause ("此事需协调。"); else it is
   * the unit arranging work with others ("需协调管线迁改"). Absent: none read so.
   */
  dutyCoordination?: readonly string[];
}

export const DEFAULT_CLOSURE_PHRASES: ClosurePhrases = {
  inProgress: [
    '正在办理中',
    '正在办理',
    '正在处理中',
    '正在处理',
    '正在核实',
    '正在调查',
    '正在协调',
    '正在研究',
    '正在跟进',
    '尚在处理',
    '尚在办理',
    '尚未处理',
    '尚未办结',
    '尚未办理',
    '处理中',
    '办理中',
    '核实中',
    '调查中',
    '协调中',
    '研究中',
    '跟进中',
    '待处理',
    '待办理',
    '待核实',
    '进一步核实',
    '继续处理',
    '继续办理',
  ],
  bareDone: [
    '已妥善处理',
    '已按要求处理',
    '已协调解决',
    '已处理完毕',
    '已办理完毕',
    '已处理好',
    '已处理',
    '已办理',
    '已解决',
    '已办结',
    '已完成',
    '已落实',
    '已整改',
    '已处置',
    '已答复',
    '已回复',
    '处理完毕',
    '办理完毕',
    '办结',
  ],
  filler: [
    '感谢您对我们工作的支持和理解',
    '感谢您对我们工作的理解和支持',
    '感谢您对我们工作的支持',
    '感谢您的理解和支持',
    '感谢您的支持和理解',
    '感谢您的来电',
    '感谢您的支持',
    '感谢您的理解',
    '尊敬的市民朋友',
    '尊敬的市民',
    '市民朋友',
    '您所反映的问题',
    '您反映的问题',
    '您反映的情况',
    '你反映的问题',
    '来电人反映的问题',
    '来电反映的问题',
    '关于您反映的',
    '关于',
    '您好',
    '你好',
    '经核实',
    '经查',
    '我单位',
    '本单位',
    '我局',
    '我们',
    '该问题',
    '此问题',
    '该事项',
    '此事',
    '问题',
    '特此答复',
    '特此回复',
    '此复',
    '谢谢',
    '目前',
  ],
  plan: ['计划', '将于', '拟于', '拟在', '将在', '预计', '力争', '下一步'],
  routineFollowUp: ['加强', '继续', '持续', '进一步', '做好', '强化'],
  responsibilityUnclear: [
    '职责不清',
    '职责不明',
    '权责不清',
    '职责交叉',
    '职能交叉',
    '多头管理',
    '管辖不明',
    '需要协调',
    '需协调',
    '有待协调',
    '提请协调',
  ],
  notOwnDuty: [
    '不属于本单位职责',
    '不属于我单位职责',
    '不属于我局职责',
    '不属于本部门职责',
    '不属于我单位管辖',
    '不属于我局管辖',
    '不在我单位职责范围',
    '不在本单位职责范围',
    '非本单位职责',
    '非我单位职责',
    '非我局职责',
  ],
  negation: ['无法', '不能', '不予', '不会', '未能', '不再', '暂不', '拒绝'],
  falseFriends: [
    '处理中心',
    '办理中心',
    '研究中心',
    '调查中心',
    '协调中心',
    '处理中发现',
    '办理中发现',
    '核实中发现',
    '调查中发现',
    '无需协调',
    '不需协调',
    '计划生育',
    '按计划',
    '原计划',
  ],
};

/**
 * The phrase lists as amended after a probe of the live platform (amendment `closure-v2` of the
 * ticket's decisions; courses replayed from before it keep DEFAULT_CLOSURE_PHRASES): "still" with
 * 仍在/还在 (您反映的问题我局仍在处理), a result "to be told later" (处理结果将另行告知), a plan
 * announced with 拟安排/将安排 (我局拟安排修复，具体时间另行通知: no date, so not closable), and
 * the sentence particles a bare "已经处理了" ends with (了, 呢, 啦, 吧) read as filler.
 */
export const CLOSURE_PHRASES_V2: ClosurePhrases = {
  ...DEFAULT_CLOSURE_PHRASES,
  inProgress: [
    ...DEFAULT_CLOSURE_PHRASES.inProgress,
    '仍在处理',
    '仍在办理',
    '仍在核实',
    '仍在调查',
    '仍在协调',
    '还在处理',
    '还在办理',
    '还在核实',
    '还在调查',
    '还在协调',
    '结果将另行告知',
    '结果另行告知',
    '结果将另行通知',
    '结果另行通知',
  ],
  filler: [...DEFAULT_CLOSURE_PHRASES.filler, '了', '呢', '啦', '吧'],
  plan: [...DEFAULT_CLOSURE_PHRASES.plan, '拟安排', '将安排'],
};

/**
 * The lists as amended by `closure-v3`: "需协调", "需要协调", "有待协调" are duties needing
 * coordination only as `dutyCoordination` reads them ("该路段需协调管线迁改，拟于12月20日前完成" is a
 * unit arranging work with the utilities, not a case of unclear duties).
 */
const COORDINATING = ['需要协调', '需协调', '有待协调'];
export const CLOSURE_PHRASES_V3: ClosurePhrases = {
  ...CLOSURE_PHRASES_V2,
  responsibilityUnclear: CLOSURE_PHRASES_V2.responsibilityUnclear.filter((p) => !COORDINATING.includes(p)),
  dutyCoordination: COORDINATING,
};

/** Words of duty and lead in a clause that make "需协调" a matter of whose it is. */
const DUTY_WORDS =
  /职责|职能|牵头|主管|管辖|权属|归属|责任单位|责任部门|责任主体|哪个部门|哪家单位|由谁|谁来|多个部门|多部门|交叉|不清|不明/;
const CLAUSE = /[，,、。；;！!？?：:\n]/;

/** The first "需协调" phrase of `phrases` read as duties needing coordination (see dutyCoordination). */
function dutyCoordinationIn(text: string, phrases: readonly string[]): string | null {
  const clauses = text.split(CLAUSE);
  for (const [i, clause] of clauses.entries()) {
    const p = phrases.find((x) => x !== '' && clause.includes(x));
    if (!p) continue;
    const rest = clause.slice(clause.indexOf(p) + p.length);
    // Its clause, or the one before it ("该问题涉及多个部门，需协调后再予答复"), speaks of duties.
    if (DUTY_WORDS.test(clause) || DUTY_WORDS.test(clauses[i - 1] ?? '') || rest.trim() === '') return p;
  }
  return null;
}

/** How many characters may stand between a negation and a promise's key phrase (same clause). */
export const NEGATION_WINDOW = 8;
export const DEFAULT_MIN_REPLY_LENGTH = 15;

export interface ClosureOptions {
  /** Fewest characters a reply must have; default DEFAULT_MIN_REPLY_LENGTH. */
  minLength?: number;
  /** Phrases the unit has promised, e.g. '24小时内上门'. */
  servicePromises?: string[];
  /**
   * How a reply is read against them: `v3` (the default) as service-promise.ts says, a promised
   * service given more time than promised included (latePromise); `v2`, without that; `v1`, the
   * first reading (a negation, at most 8 characters, the exact phrase after a leading time limit).
   * A reply decided under an earlier reading replays with it.
   */
  promiseMatching?: 'v1' | 'v2' | 'v3';
  /** The phrase lists; default DEFAULT_CLOSURE_PHRASES. */
  phrases?: Partial<ClosurePhrases>;
}

/** How many characters after '下一步' are read for a routine word (下一步，我单位将进一步加强…). */
export const ROUTINE_WINDOW = 8;

/** Sentence boundaries. */
const SENTENCE_END = /[。；;！!？?\n]/;

/** Full-width digits, letters, '-' and '/' to ASCII; spaces (not line breaks) removed. */
function normalise(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0D\uFF0F]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    )
    .replace(/[^\S\n]+/g, '');
}

/** Letters and digits only: no punctuation, symbols or spaces. */
function bare(text: string): string {
  return visibleText(text).replace(/[\p{P}\p{S}\p{Z}\s]/gu, '');
}

function charCount(text: string): number {
  return Array.from(text).length;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces each false friend by placeholders of the same length, so it matches nothing. */
function mask(text: string, falseFriends: readonly string[]): string {
  let out = text;
  for (const f of [...falseFriends].sort((a, b) => b.length - a.length))
    if (f) out = out.split(f).join('#'.repeat(f.length));
  return out;
}

/** The first phrase of the list found in the text (list order), or null. */
function findPhrase(text: string, phrases: readonly string[]): string | null {
  return phrases.find((p) => p !== '' && text.includes(p)) ?? null;
}

function removeAll(text: string, phrases: readonly string[]): string {
  let out = text;
  for (const p of [...phrases].sort((a, b) => b.length - a.length)) if (p) out = out.split(p).join('');
  return out;
}

const DATE_PATTERNS: readonly RegExp[] = [
  /(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})[日号]/g,
  /(?<!\d)()(\d{1,2})月(\d{1,2})[日号]/g,
  /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g,
  /(\d{4})年(\d{1,2})月(?:底|末)()/g,
  /(\d{4})年(?:底|末)()()/g,
];

/** Whether the text names a concrete date (month 1–12, day 1–31 where a day is given). */
export function containsDate(text: string): boolean {
  const t = normalise(text);
  return DATE_PATTERNS.some((re) =>
    Array.from(t.matchAll(re)).some((m) => {
      const month = m[2] ? Number(m[2]) : 1;
      const day = m[3] ? Number(m[3]) : 1;
      return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }),
  );
}

/** 'YYYY-MM-DD' and a real calendar date. */
export function isDayKey(text: unknown): text is string {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d;
}

/** The plan marker and its sentence, for each plan marker in the text that is not routine. */
function planSentences(text: string, phrases: ClosurePhrases): { marker: string; sentence: string }[] {
  const out: { marker: string; sentence: string }[] = [];
  for (const sentence of text.split(SENTENCE_END)) {
    for (const marker of phrases.plan) {
      if (!marker) continue;
      let from = sentence.indexOf(marker);
      while (from >= 0) {
        const next = bare(sentence.slice(from + marker.length)).slice(0, ROUTINE_WINDOW);
        const routine = marker === '下一步' && phrases.routineFollowUp.some((w) => w && next.includes(w));
        if (!routine) {
          out.push({ marker, sentence });
          break;
        }
        from = sentence.indexOf(marker, from + marker.length);
      }
    }
  }
  return out;
}

/** The key phrase of a promise: without its leading time limit ('24小时内上门' → '上门'). */
export function promiseKeyPhrase(promise: string): string {
  const t = bare(normalise(promise)).replace(/^已/, '');
  return withoutTimeLimit(t) || t;
}

function withoutTimeLimit(t: string): string {
  return t.replace(
    /^(?:(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百半]+)个?(?:分钟|小时|工作日|自然日|天|日|周|月)(?:内|之内|以内)?|当天|当日|即时|立即|及时|第一时间)+/,
    '',
  );
}

/** Most service promises a unit keeps, and the longest one. */
export const MAX_SERVICE_PROMISES = 20;
export const MAX_SERVICE_PROMISE_LENGTH = 100;

/**
 * What is wrong with a service promise as the centre records it for a unit, or null: some text, at
 * most MAX_SERVICE_PROMISE_LENGTH characters, whose core (what it promises after its last time
 * limit, promiseCore) says something of two characters or more: '24小时内' alone would make every
 * "不…" a broken promise.
 */
export function servicePromiseProblem(promise: string): string | null {
  const t = bare(normalise(promise));
  if (!t) return 'a service promise says what the unit promises, e.g. "24小时内上门维修"';
  if (promise.trim().length > MAX_SERVICE_PROMISE_LENGTH)
    return `a service promise has at most ${MAX_SERVICE_PROMISE_LENGTH} characters`;
  if (!promiseCores(promise).some((core) => Array.from(core).length >= 2))
    return `the service promise "${promise.trim()}" names no service after its time limit (e.g. "24小时内上门维修")`;
  return null;
}

function negatedPromise(
  text: string,
  promises: readonly string[],
  negations: readonly string[],
): { promise: string; said: string } | null {
  for (const promise of promises) {
    const key = promiseKeyPhrase(promise);
    if (!key) continue;
    for (const neg of negations) {
      if (!neg) continue;
      const re = new RegExp(
        `${escapeRegExp(neg)}[^，,、。；;！!？?：:\\n]{0,${NEGATION_WINDOW}}?${escapeRegExp(key)}`,
      );
      const m = re.exec(text);
      if (m) return { promise, said: m[0] };
    }
  }
  return null;
}

/** Checks a reply against the closure standard; see the module comment for each rule. */
export function checkClosureStandard(reply: ReplyDraft, opts: ClosureOptions = {}): ClosureCheck {
  const phrases: ClosurePhrases = { ...DEFAULT_CLOSURE_PHRASES, ...(opts.phrases ?? {}) };
  const minLength = opts.minLength ?? DEFAULT_MIN_REPLY_LENGTH;
  const found = new Map<ClosureDefect, string>();

  const content = typeof reply.content === 'string' ? reply.content : '';
  const text = mask(normalise(content), phrases.falseFriends);
  const letters = bare(text);
  const length = charCount(letters);

  // Not a reply at all.
  if (length === 0) found.set('empty', '答复内容为空，请写明核实情况、处理措施和结果');

  // 1 and 3: in progress, and plans.
  const markers = planSentences(text, phrases);
  const isPlan = reply.isPlan === true || reply.closureBasis === 'long_cycle_plan' || markers.length > 0;
  const plannedDate = reply.plannedCompletionDate;
  const plannedDateValid = isDayKey(plannedDate);
  const textDate =
    markers.length > 0 ? markers.some(({ sentence }) => containsDate(sentence)) : containsDate(text);
  const planHasDate = plannedDateValid || textDate;
  const inProgress = findPhrase(text, phrases.inProgress);
  if (inProgress && !(isPlan && planHasDate))
    found.set(
      'still_in_progress',
      `答复称"${inProgress}"，不能作为办结答复；请办结后再答复，或给出有明确完成日期的办理计划`,
    );

  // 2: only "handled", nothing about what was done.
  const doneText = letters.replace(/已经/g, '已');
  const done = findPhrase(doneText, phrases.bareDone);
  if (done && (removeAll(removeAll(doneText, phrases.filler), phrases.bareDone) === '' || length < minLength))
    found.set(
      'handled_without_content',
      `答复仅称"${done}"，没有办理过程和结果，不能作为办结答复；请写明核实情况、处理措施和结果`,
    );
  else if (length > 0 && length < minLength)
    found.set('too_short', `答复内容过短（${length}字，至少${minLength}字），请写明核实情况、处理措施和结果`);

  if (isPlan && !planHasDate) {
    const what = markers.length > 0 ? `答复称"${markers[0].marker}"，为办理计划` : '答复为办理计划';
    const badDate =
      typeof plannedDate === 'string' && plannedDate !== '' && !plannedDateValid
        ? `（计划完成日期"${plannedDate}"不是有效日期，格式应为YYYY-MM-DD）`
        : '';
    found.set(
      'no_plan_or_date',
      `${what}，但未明确完成日期${badDate}，不能办结；请填写计划完成日期或在答复中写明具体日期`,
    );
  }

  // 4: responsible department.
  const unclear =
    findPhrase(text, phrases.responsibilityUnclear) ??
    dutyCoordinationIn(text, phrases.dutyCoordination ?? []);
  const notOwn = findPhrase(text, phrases.notOwnDuty);
  const department = reply.responsibleDepartment;
  const departmentNamed = typeof department === 'string' && hasVisibleText(department);
  if (unclear)
    found.set(
      'no_responsible_department',
      `答复称"${unclear}"，责任部门未明确或职责交叉需协调，不能办结；请提请热线中心协调确定牵头单位`,
    );
  else if (typeof department === 'string' && !departmentNamed)
    found.set('no_responsible_department', '未明确责任部门，不能办结；请写明负责办理的部门');
  else if (notOwn && !departmentNamed)
    found.set(
      'no_responsible_department',
      `答复称"${notOwn}"，但未明确责任部门，不能办结；请写明责任部门，或在时限内退回并说明依据`,
    );

  // 5: service promises.
  const broken =
    opts.promiseMatching === 'v1'
      ? negatedPromise(text, opts.servicePromises ?? [], phrases.negation)
      : (brokenPromise(content, opts.servicePromises ?? []) ??
        (opts.promiseMatching === 'v2' ? null : latePromise(content, opts.servicePromises ?? [])));
  if (broken)
    found.set(
      'contradicts_service_promise',
      `答复称"${broken.said}"，与本单位服务承诺"${broken.promise}"相悖，不能办结`,
    );

  const defects = CLOSURE_DEFECTS.filter((c) => found.has(c)).map((code) => ({
    code,
    message: found.get(code) as string,
  }));
  return {
    closable: defects.length === 0,
    defects,
    trackUntilDone: isPlan || reply.closureBasis === 'repair_dispatched',
  };
}
