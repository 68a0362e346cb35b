/**
 * A reply contradicting one of the unit's service promises (服务承诺) does not close the ticket
 * (closure standard art. 5.5, RULES §3). How a reply is read against a promise such as
 * "24小时内上门维修":
 *
 * - Both are read alike: full-width forms folded, traditional characters as simplified (the common
 *   ones), invisible characters (zero-width spaces, soft hyphens) and separators inside a phrase
 *   ("上门·维修", "上门（维修）", spaces) dropped, Latin letters in lower case; quoted words (someone's
 *   words cited) are a clause of their own.
 * - A promise's cores: for each of its parts, what it promises after its last time limit
 *   ("接到投诉后24小时内上门维修" → "上门维修"), without a leading courtesy ("为您", "免费", "及时"…),
 *   or what stands before the time limit where the rest only says it is done ("上门维修24小时内完成");
 *   a core is found in the reply with up to two characters between its letters ("上门进行维修").
 * - Broken: a negation ("无法", "不能", "没法", "拒不", "难以", "取消", "暂停"… or a bare "不" or "未"
 *   right before it) up to 12 characters before the core in the same clause, or the core followed
 *   in its clause by "无法/不能…提供/安排…" or "暂缓/暂停/取消…" ("上门维修服务暂时无法提供").
 * - Not broken: a negation of something else that bears on the core ("不会因天气原因影响上门维修"),
 *   one in a clause of prevention ("为防止不能及时上门维修"), another party's ("商家拒绝退款"), the
 *   complaint restated or denied ("市民反映我单位不能上门维修一事", "不存在无法上门维修的情况",
 *   "…的情况系误解"), or one the reply says was done after all ("已于12月7日上门修复") or asked time
 *   for ("已申请延期").
 *
 * Plain text matching, as a clerk and the reviewer read it: it finds the usual wording of a broken
 * promise, and the centre's review (答复认定) judges the rest.
 */

/** Traditional characters the platform reads as simplified: pairs, traditional first. */
const TRADITIONAL =
  '無无門门維维時时內内個个絕绝辦办處处務务費费換换電电話话來来進进為为們们應应該该說说問问題题' +
  '決决於于後后過过還还會会與与對对將将間间現现遲迟復复覆复實实經经記记錄录報报單单號号開开關关' +
  '燈灯區区縣县鎮镇場场價价錢钱貨货買买賣卖補补償偿讓让難难沒没麼么從从達达檢检驗验證证書书請请' +
  '業业員员師师車车輛辆樓楼層层戶户條条規规劃划環环衛卫熱热氣气網网絡络線线貼贴帶带導导義义協协' +
  '調调聯联繫系係系幫帮給给讀读動动發发變变點点鐘钟週周態态護护維维權权療疗醫医藥药學学師师園园' +
  '拒拒退退款款證证們们這这那那裡里裏里麵面麪面頭头體体處处幾几週周萬万億亿兩两隻只台台臺台颱台';
const SIMPLIFIED = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL.length; i += 2) SIMPLIFIED.set(TRADITIONAL[i], TRADITIONAL[i + 1]);

/** Clause boundaries: a negation and what it negates are in one clause. */
const CLAUSE_END = /[，,、。；;！!？?：:\n]/;
/** Separators dropped inside a phrase (not clause boundaries). */
const SEPARATORS = /[\s·•・.．\-‐‑‒–—―_/／\\|（）()［］[\]【】〔〕{}<>《》〈〉"'“”‘’「」『』~～*＊^+=]/gu;

/** Words quoted (someone's words cited, "关于“无法上门维修”的反映"): a clause of their own. */
const QUOTED = /“[^”]*”|"[^"]*"|「[^」]*」|『[^』]*』|‘[^’]*’/g;

/** The text as the promise check reads it (see the module comment). */
export function promiseText(text: string): string {
  return Array.from(
    text
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
      .replace(QUOTED, '，')
      .replace(SEPARATORS, ''),
  )
    .map((c) => SIMPLIFIED.get(c) ?? c)
    .join('')
    .toLowerCase();
}

const TIME_LIMIT =
  /(?:(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百半]+)个?(?:分钟|小时|h|工作日|自然日|天|日|周|月)(?:内|之内|以内)?|当天|当日|即时|立即|及时|第一时间)/g;
const COURTESY =
  /^(?:内|之内|以内|后|为您|为市民|为群众|为居民|为客户|免费|主动|及时|专人|派员|安排人员|安排|予以|给予|进行|提供|负责)+/;
/** Words that say only that something is done, not what: the service is then before the time limit. */
const GENERIC = /^(?:完成|办结|办理|处理|解决|答复|回复|反馈|到位)$/;

/** The first core of a promise ('' when it promises nothing): see promiseCores. */
export function promiseCore(promise: string): string {
  return promiseCores(promise)[0] ?? '';
}

/** The cores of each part of a promise ("物业报修24小时内上门维修，48小时内修复": "上门维修", "修复"). */
export function promiseCores(promise: string): string[] {
  const cores: string[] = [];
  for (const part of promiseText(promise).split(CLAUSE_END)) {
    const t = part.replace(/^已/, '');
    let start = -1;
    let end = 0;
    for (const m of t.matchAll(TIME_LIMIT)) {
      if (start < 0) start = m.index;
      end = m.index + m[0].length;
    }
    const after = t.slice(end).replace(COURTESY, '');
    const before = start > 0 ? t.slice(0, start).replace(COURTESY, '') : '';
    const core = GENERIC.test(after) && Array.from(before).length >= 2 ? before : after;
    if (core) cores.push(core);
  }
  return cores;
}

const NEGATIONS = [
  '不同意',
  '不可能',
  '不具备',
  '无法',
  '不能',
  '不予',
  '不会',
  '未能',
  '不再',
  '暂不',
  '拒绝',
  '拒不',
  '没法',
  '没有',
  '没能',
  '难以',
  '未予',
  '不愿',
  '无力',
  '未安排',
  '不安排',
  '不提供',
  '不负责',
  '取消',
  '暂停',
  '停止',
  '终止',
];
/** Negations that stand right before what they negate ("不上门维修", "未上门维修"). */
const BARE = ['不', '未'];
/** Between a negation and the core: it negates something else bearing on it ("不会…影响上门维修"). */
const BEARING = /影响|耽误|延误|妨碍|因为|由于|因/;
/** Before a negation: a clause of prevention ("为防止不能及时上门维修"). */
const PREVENTION = /防止|避免|以免|杜绝|防范|确保|以防|谨防/;
/** Before a negation in its clause: another party said no, not the unit ("商家拒绝退款"). */
const OTHER_PARTY =
  /(?<![我本])(?:商家|商户|经营者|企业|物业|开发商|对方|被投诉人|被投诉方|被举报人|当事人|卖家|店家|公司|厂家|平台方|施工方|业主|房东|用人单位|用户|市民)/;
/** Before a negation in its clause: the complaint restated, or a denial ("不存在无法上门维修的情况"). */
const RESTATED =
  /反映|投诉|举报|来电|来信|所称|声称|询问|咨询|关于|所述|不存在|并非|并不|并没有|没有出现|未发现/;
/** After the core in its clause: what was said is denied ("…的情况系误解"). */
const DENIED = /不属实|系误解|情况不实|并不存在/;
const AFTER_CORE =
  /^(?:服务)?[^，,、。；;！!？?：:\n]{0,6}?(?:(?:暂时|暂)?(?:无法|不能|不予|难以|没法|未能)(?:提供|安排|落实|兑现|办理|实现|满足|进行|开展|受理)|暂缓|暂停|取消|停止|终止)/;

/** Later in the reply: the unit did it after all ("已于12月7日上门修复"), or asked for the time it needs. */
function doneLater(head: string): RegExp {
  return new RegExp(`已[^，,、。；;！!？?：:\\n]{0,20}?${head}|申请延期|延期办理`);
}

/** The core as a pattern: its letters in order, up to two characters (of one clause) between them. */
function corePattern(core: string): RegExp {
  const chars = Array.from(core).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(chars.join('[^，,、。；;！!？?：:\\n]{0,2}?'), 'g');
}

/** The first place the reply says the unit will not keep one of its promises, or null. */
export function brokenPromise(
  reply: string,
  promises: readonly string[],
): { promise: string; said: string } | null {
  const text = promiseText(reply);
  for (const promise of promises)
    for (const core of promiseCores(promise)) {
      const letters = Array.from(core);
      if (letters.length < 2) continue;
      const done = doneLater(letters.slice(0, letters.length >= 3 ? 2 : 1).join(''));
      for (const m of text.matchAll(corePattern(core))) {
        const at = m.index;
        // The clause before the core, and after it; and the rest of the reply.
        const before = text.slice(0, at).split(CLAUSE_END).pop() ?? '';
        const rest = text.slice(at + m[0].length);
        const after = rest.split(CLAUSE_END)[0] ?? '';
        if (DENIED.test(after) || done.test(rest)) continue;
        const found = negationBefore(before);
        if (found !== null) return { promise, said: `${before.slice(found)}${m[0]}` };
        const tail = AFTER_CORE.exec(after);
        if (tail && !RESTATED.test(before)) return { promise, said: `${m[0]}${tail[0]}` };
      }
    }
  return null;
}

/** Where in the clause before the core a negation of it starts, or null. */
function negationBefore(before: string): number | null {
  const window = before.slice(-(12 + 3));
  const candidates: number[] = [];
  // A bare "不" or "未" right before the core ("不上门维修").
  for (const bare of BARE) if (before.endsWith(bare)) candidates.push(before.length - bare.length);
  for (const neg of NEGATIONS) {
    const i = window.lastIndexOf(neg);
    if (i < 0) continue;
    const gap = window.slice(i + neg.length);
    if (Array.from(gap).length > 12 || BEARING.test(gap)) continue;
    candidates.push(before.length - window.length + i);
  }
  for (const start of candidates) {
    const lead = before.slice(0, start);
    if (PREVENTION.test(lead.slice(-6)) || OTHER_PARTY.test(lead.slice(-8)) || RESTATED.test(lead)) continue;
    return start;
  }
  return null;
}

/**
 * A time limit, in hours, as the reply or the promise states it ("24小时", "三天", "3个工作日",
 * "半个月"); `workingDays` when it counts working days. "当天"/"当日" is a day; "立即"/"及时"/"第一时间"
 * state no length (null).
 */
export interface StatedLimit {
  text: string;
  hours: number;
  workingDays: boolean;
}

const UNIT_HOURS: Record<string, number> = {
  分钟: 1 / 60,
  小时: 1,
  h: 1,
  工作日: 24,
  自然日: 24,
  天: 24,
  日: 24,
  周: 24 * 7,
  月: 24 * 30,
  星期: 24 * 7,
  礼拜: 24 * 7,
};
const DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A number written in digits or in Chinese numerals up to 999 ("二十四", "十二", "半"), or null. */
export function numberOf(text: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === '半') return 0.5;
  let total = 0;
  let digit = 0;
  for (const c of text) {
    const place = c === '百' ? 100 : c === '十' ? 10 : 0;
    if (c in DIGITS) digit = DIGITS[c];
    else if (place === 0) return null;
    else {
      total += (digit || 1) * place;
      digit = 0;
    }
  }
  return total + digit;
}

/** What a time limit (a TIME_LIMIT match) states, or null where it states no length. */
export function statedLimit(text: string): StatedLimit | null {
  if (text === '当天' || text === '当日') return { text, hours: 24, workingDays: false };
  const m =
    /^((?:\d+(?:\.\d+)?|[一二两三四五六七八九十百半]+))个?(分钟|小时|h|工作日|自然日|天|日|周|月|星期|礼拜)/.exec(
      text,
    );
  if (!m) return null;
  const n = numberOf(m[1]);
  if (n === null || n <= 0) return null;
  return { text, hours: n * UNIT_HOURS[m[2]], workingDays: m[2] === '工作日' };
}

/**
 * Whether `said` is surely longer than `promised`. Hours, days, weeks and months compare as
 * clock time. A working day is at least a calendar day, so a reply's working days compare against
 * a promise's clock time as days; a promise's working days may span weekends and holidays, so a
 * reply's clock time is longer only against working days counted as such on both sides.
 */
export function surelyLonger(said: StatedLimit, promised: StatedLimit): boolean {
  if (promised.workingDays && !said.workingDays) return false;
  return said.hours > promised.hours;
}

/** Characters that may stand between a reply's time limit and the promised service ("3天内安排人员上门维修"). */
const LIMIT_GAP = 8;

const NUMBER = '(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百半]+)';
/**
 * A length of time as a reply states it: "3天", "72小时后", "3个工作日内", "半个月", "5日内". A bare "3日"
 * or "12月" is a date (the 3rd, December), not a length, so 日 and 月 count only with 内 or 个;
 * "第3天" and "3天前" are not lengths either.
 */
const REPLY_LIMIT = new RegExp(
  `(?<!第|\\d|[一二两三四五六七八九十百半])${NUMBER}(?:个(?:小时|工作日|自然日|月|星期|礼拜)|分钟|小时|h|工作日|自然日|天|周|星期)(?:内|之内|以内|后|之后)?(?!前)` +
    `|(?<!第|\\d|[一二两三四五六七八九十百半]|月)${NUMBER}(?:日|月)(?:内|之内|以内)`,
  'g',
);

/**
 * The first place the reply gives one of the promised services a longer time than the unit promised
 * ("24小时内上门维修" promised; "将于3个工作日内安排人员上门维修" said), or null. Read as brokenPromise
 * reads a reply: a time limit counts when it stands in the service's clause, at most LIMIT_GAP
 * characters before it or right after it ("上门维修将在3天内完成"), not where the clause restates the
 * complaint or another party's words, or says it was done ("已于3天后上门维修").
 */
export function latePromise(
  reply: string,
  promises: readonly string[],
): { promise: string; said: string } | null {
  const text = promiseText(reply);
  for (const promise of promises)
    for (const part of promiseText(promise).split(CLAUSE_END)) {
      const last = [...part.replace(/^已/, '').matchAll(TIME_LIMIT)].at(-1);
      const promised = last ? statedLimit(last[0]) : null;
      const core = promiseCores(part)[0];
      if (!promised || !core || Array.from(core).length < 2) continue;
      for (const m of text.matchAll(corePattern(core))) {
        const before = text.slice(0, m.index).split(CLAUSE_END).pop() ?? '';
        const after = text.slice(m.index + m[0].length).split(CLAUSE_END)[0] ?? '';
        if (RESTATED.test(before) || OTHER_PARTY.test(before) || /已(?:于|在|经)|曾/.test(before)) continue;
        for (const l of before.matchAll(REPLY_LIMIT)) {
          const gap = before.slice(l.index + l[0].length);
          const said = statedLimit(l[0]);
          if (Array.from(gap).length <= LIMIT_GAP && said && surelyLonger(said, promised))
            return { promise, said: `${before.slice(l.index)}${m[0]}` };
        }
        const next = [...after.matchAll(REPLY_LIMIT)].find((l) => l.index <= 4);
        const said = next ? statedLimit(next[0]) : null;
        if (next && said && surelyLonger(said, promised))
          return { promise, said: `${m[0]}${after.slice(0, next.index + next[0].length)}` };
      }
    }
  return null;
}
