/**
 * A reply contradicting one of the unit's service promises (服务承诺) does not close the ticket
 * (closure standard art. 5.5, RULES §3). How a reply is read against a promise such as
 * "24小时内上门维修":
 *
 * - Both are read alike: full-width forms folded, traditional characters as simplified (the common
 *   ones), invisible characters (zero-width spaces, soft hyphens) and separators inside a phrase
 *   ("上门·维修", "上门（维修）", spaces) dropped, Latin letters in lower case.
 * - The promise's core is what it promises after its last time limit ("接到投诉后24小时内上门维修" →
 *   "上门维修"), without a leading courtesy ("为您", "免费", "及时"…); it is found in the reply with
 *   up to two characters between its letters ("上门进行维修", "上门为您维修").
 * - Broken: a negation ("无法", "不能", "没法", "拒不", "难以"… or a bare "不" right before it) up to
 *   12 characters before the core in the same clause ("无法在本周内安排工作人员上门维修"), or the core
 *   followed in its clause by "无法/不能…提供/安排/落实…" ("上门维修服务暂时无法提供").
 * - Not broken: a negation of something else that bears on the core ("不会因天气原因影响上门维修"),
 *   one in a clause of prevention ("为防止不能及时上门维修"), or another party's ("商家拒绝退款，我局
 *   已责令其退款").
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

/** The text as the promise check reads it (see the module comment). */
export function promiseText(text: string): string {
  return Array.from(
    text
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
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

/** What a promise promises, after its last time limit and any courtesy: '' when nothing. */
export function promiseCore(promise: string): string {
  const t = promiseText(promise)
    .replace(/[，,、。；;！!？?：:\n]/g, '')
    .replace(/^已/, '');
  let end = 0;
  for (const m of t.matchAll(TIME_LIMIT)) end = m.index + m[0].length;
  return t.slice(end).replace(COURTESY, '');
}

const NEGATIONS = [
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
];
/** Between a negation and the core: it negates something else bearing on it ("不会…影响上门维修"). */
const BEARING = /影响|耽误|延误|妨碍|因为|由于|因/;
/** Before a negation: a clause of prevention ("为防止不能及时上门维修"). */
const PREVENTION = /防止|避免|以免|杜绝|防范|确保|以防|谨防/;
/** Before a negation in its clause: another party said no, not the unit ("商家拒绝退款"). */
const OTHER_PARTY =
  /(?<![我本])(?:商家|商户|经营者|企业|物业|开发商|对方|被投诉人|被投诉方|被举报人|当事人|卖家|店家|公司|厂家|平台方|施工方|业主|房东|用人单位)/;
const AFTER_CORE =
  /^(?:服务)?[^，,、。；;！!？?：:\n]{0,6}?(?:暂时|暂)?(?:无法|不能|不予|难以|没法|未能)(?:提供|安排|落实|兑现|办理|实现|满足|进行|开展|受理)/;

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
  for (const promise of promises) {
    const core = promiseCore(promise);
    if (Array.from(core).length < 2) continue;
    for (const m of text.matchAll(corePattern(core))) {
      const at = m.index;
      // The clause before the core, and after it.
      const before = text.slice(0, at).split(CLAUSE_END).pop() ?? '';
      const after = text.slice(at + m[0].length).split(CLAUSE_END)[0] ?? '';
      const found = negationBefore(before);
      if (found !== null) return { promise, said: `${before.slice(found)}${m[0]}` };
      const tail = AFTER_CORE.exec(after);
      if (tail) return { promise, said: `${m[0]}${tail[0]}` };
    }
  }
  return null;
}

/** Where in the clause before the core a negation of it starts, or null. */
function negationBefore(before: string): number | null {
  // A bare "不" right before the core ("不上门维修").
  if (before.endsWith('不') && !PREVENTION.test(before.slice(-8))) return before.length - 1;
  const window = before.slice(-(12 + 3));
  for (const neg of NEGATIONS) {
    const i = window.lastIndexOf(neg);
    if (i < 0) continue;
    const gap = window.slice(i + neg.length);
    if (Array.from(gap).length > 12 || BEARING.test(gap)) continue;
    const start = before.length - window.length + i;
    const lead = before.slice(0, start);
    if (PREVENTION.test(lead.slice(-6)) || OTHER_PARTY.test(lead.slice(-8))) continue;
    return start;
  }
  return null;
}
