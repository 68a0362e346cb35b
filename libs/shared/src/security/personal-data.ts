import type { Role } from '../domain/vocabulary';

/**
 * The complainant's personal data (PIPL art. 6, 28, 51): who sees what of it. Pure rules, no I/O.
 *
 * - Everyone sees it **masked** by default: the name's first character (张**), the phone's first
 *   three and last four digits (138****8000).
 * - A unit sees nothing at all of a complainant who asked for confidentiality (保密).
 * - The centre's roles below may **reveal** the plain values of one ticket, giving a reason; every
 *   reveal is written to the append-only access log. Units never reveal.
 * - The `auditor` reads that log and nothing else (no ticket list, no reveal).
 */

/** Centre roles that may reveal a complainant's plain name and phone, with a reason. */
export const PERSONAL_DATA_REVEAL_ROLES: readonly Role[] = ['operator', 'reviewer', 'supervisor', 'admin'];

/** Roles that read the personal-data access log. */
export const PERSONAL_DATA_AUDIT_ROLES: readonly Role[] = ['auditor'];

/**
 * The personal data fields of a ticket, as the access log names them; `attachment`: a file on the
 * ticket's record, which may carry any of it (a copy of an ID card, a letter with an address).
 */
export const PERSONAL_DATA_FIELDS = ['complainantName', 'complainantPhone', 'attachment'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

/** The shortest reason a reveal accepts. */
export const REVEAL_REASON_MIN_LENGTH = 5;

export interface ComplainantData {
  complainantName: string | null;
  complainantPhone: string | null;
}

export interface ViewerRole {
  role: Role;
}

export function canRevealPersonalData(viewer: ViewerRole): boolean {
  return PERSONAL_DATA_REVEAL_ROLES.includes(viewer.role);
}

export function canReadPersonalDataLog(viewer: ViewerRole): boolean {
  return PERSONAL_DATA_AUDIT_ROLES.includes(viewer.role);
}

/**
 * What of the complainant a viewer sees in lists and details: masked for every role; nothing for
 * a unit when the complainant asked for confidentiality; nothing for roles that do not handle
 * tickets (evaluator, auditor). The plain values only come from a logged reveal.
 */
export function maskedComplainantView(
  viewer: ViewerRole,
  data: ComplainantData & { confidential: boolean },
): ComplainantData {
  const masked = {
    complainantName: maskName(data.complainantName),
    complainantPhone: maskPhone(data.complainantPhone),
  };
  if (PERSONAL_DATA_REVEAL_ROLES.includes(viewer.role)) return masked;
  if (viewer.role === 'unit_clerk' && !data.confidential) return masked;
  return { complainantName: null, complainantPhone: null };
}

/**
 * 138****8000: the first three and the last four digits of the number without China's country code
 * (+86 138 0013 8000 shows as 138****8000, as the number is read). At least four are hidden and at
 * most seven shown: a landline's 8 digits show as 83****34, 7 as 8****23; under 7, all stars.
 */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  // Counted in digits: separators (025-8456 1234, 123-----4567) would otherwise take the stars.
  const digits = /^(\+?86|0086)/.test(phone.replace(/[\s-]/g, '')) ? normalisePhone(phone) : null;
  const n = digits ?? phone.replace(/[^0-9]/g, '');
  if (n.length < 7) return '*'.repeat(n.length);
  const hidden = Math.max(4, n.length - 7);
  const head = Math.min(3, Math.floor((n.length - hidden) / 2));
  const tail = n.length - hidden - head;
  return `${n.slice(0, head)}${'*'.repeat(hidden)}${n.slice(n.length - tail)}`;
}

/** A phone number as intake takes it: digits, an optional leading +, hyphens, and 5 to 20 digits. */
export function isPhoneNumber(phone: string): boolean {
  return (
    /^\+?[0-9-]{5,30}$/.test(phone) &&
    (phone.match(/[0-9]/g) ?? []).length >= 5 &&
    (phone.match(/[0-9]/g) ?? []).length <= 20
  );
}

/** 张**: the first character (code point), then one star per further character (at least one). */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/**
 * The phone as the blind index hashes it: digits only, without China's country code, so
 * "+86 138-0013-8000", "0086 13800138000" and "13800138000" find the same tickets. Null when no
 * digit is left.
 */
export function normalisePhone(phone: string): string | null {
  let digits = phone.replace(/\D/g, '');
  if (digits.startsWith('0086') && digits.length > 11) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits.length > 0 ? digits : null;
}

/**
 * Whether a number takes SMS: a mainland mobile number (1 and a second digit 3–9, 11 digits, with
 * or without +86). A landline (025-83331234) or a short number does not, and gets no text.
 */
export function takesSms(phone: string): boolean {
  const digits = normalisePhone(phone);
  return digits !== null && /^1[3-9]\d{9}$/.test(digits);
}

/**
 * A search that can tie a person to tickets: by the caller's phone (its blind index), or by words
 * holding as many digits as a phone's shortest part worth guessing, 7, all together (a caller's
 * number, an ID card's, written in the appeal's text): each word is matched on its own, so a number
 * split into pieces ("139123 48765") finds what the whole does. Full-width digits count as digits.
 * Such a search is logged, whatever it found, each ticket it matched under that ticket, and a user
 * makes only so many of them: a masked phone (139****7771) leaves four digits to guess, and a
 * search answers how many tickets match.
 */
export const PERSONAL_NUMBER_DIGITS = 7;
export function searchesPersonalData(filter: {
  complainantPhone?: string;
  words?: readonly string[];
}): boolean {
  if (filter.complainantPhone !== undefined) return true;
  const digits = (filter.words ?? [])
    .join('')
    .normalize('NFKC')
    .replace(/[^0-9]/g, '');
  return digits.length >= PERSONAL_NUMBER_DIGITS;
}

/** How many such searches one user makes in a window: enough for the calls of a shift, not for guessing. */
export const PERSONAL_DATA_SEARCH_LIMIT = { searches: 60, windowMinutes: 10 } as const;

/** At most this many of the tickets one search matched are logged one by one (a phone has far fewer). */
export const PERSONAL_DATA_SEARCH_LOGGED = 1000;

/**
 * The text with the forms a caller's or an operator's input method writes for digits and their
 * separators turned into ASCII, one UTF-16 unit for one (so that an index in it is the same index in
 * the text): the full-width forms U+FF01–FF5E (０–９, Ｘ, ＋, （）, －, ．…), the ideographic and the
 * no-break space as a space, and the dashes ‐ ‑ ‒ – — − as a hyphen.
 */
function asciiForms(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000\u00A0\u2010-\u2014\u2212]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xff01) return String.fromCharCode(code - 0xfee0);
    return code === 0x3000 || code === 0x00a0 ? ' ' : '-';
  });
}

/**
 * How many digits of a landline (0, an area code, 7 or 8 digits) are its area code: three for
 * Beijing (010) and the 02x cities, four for the others, whichever leaves a local number of 7 or 8
 * digits; 0 when neither does.
 */
function areaCodeLength(digits: string): number {
  const fits = (area: number) => digits.length - area >= 7 && digits.length - area <= 8;
  return (/^0(?:10|2[0-9])/.test(digits) ? [3, 4] : [4, 3]).find(fits) ?? 0;
}

/**
 * Digits written together in free text: groups of digits, each joined to the next by one space,
 * hyphen or dot (after `asciiForms`), or, first, a landline's area code in brackets.
 */
const DIGIT_RUN = /(?<![0-9])(?:\(0[0-9]{2,3}\)[ -]?(?=[0-9]))?[0-9]+(?:[ .-][0-9]+)*/g;

/** A span of digit groups read as a number that names a person: which of its digits are hidden. */
interface HiddenDigits {
  from: number;
  to: number;
  /** The hidden digits (and any separator between them) show as four stars, whatever their count. */
  asFourStars: boolean;
}

function hiddenDigits(
  d: string,
  span: { groups: number; first: number; bracketed: boolean; checkX: boolean; letterAfter: boolean },
): HiddenDigits | null {
  const n = d.length;
  if (!span.bracketed) {
    if ((n === 17 && span.checkX) || (n === 18 && !span.letterAfter))
      return { from: 6, to: 14, asFourStars: false };
    if (n >= 16 && n <= 19) return { from: 0, to: n - 4, asFourStars: false };
    if (/^(?:86|0086)?1[3-9][0-9]{9}$/.test(d)) return { from: n - 8, to: n - 4, asFourStars: false };
  }
  if (/^0[0-9]{9,11}$/.test(d)) {
    const byGroup = span.groups > 1 && span.first <= 4 && n - span.first >= 7 && n - span.first <= 8;
    const area = byGroup ? span.first : areaCodeLength(d);
    if (area > 0) return { from: area, to: n - 4, asFourStars: true };
  }
  return null;
}

/**
 * Numbers that name a person, masked in free text (an appeal's content, a reply, a note): a
 * resident ID number (its birth date and order: 320102********777X), a bank card of 16 to 19 digits
 * (all but its last four), a mainland mobile (139****7771, also after +86, 86 or 0086) and a landline
 * (025-****1234, (025)****1234). Only the structured fields are encrypted; what a caller said and the
 * operator typed is text, and a reader who must not know the person (an expert evaluator) reads it
 * through this. A name in the text is not found by it: `maskNamesIn` masks the names the record
 * knows; `maskKnownNumbersIn` masks the complainant's own numbers, however written.
 *
 * How a number is found:
 * - Full-width digits (１３９…), Ｘ, brackets and separators count as their ASCII forms; the digits
 *   that stay are left as written.
 * - A number is one group of digits, or several groups each of 3 to 8 digits joined by one space,
 *   hyphen or dot (139 1234 5678, 139-8765-4321, 320102 19900101 7777, 6222 0212 3456 7890 123,
 *   025 8345 1234), at most 19 digits; a landline's area code may stand in brackets, ASCII or
 *   full-width ((025)83451234, （025）8345 1234). It begins and ends where a group does (never
 *   inside a run of digits); of the groups written together, the longest span that is a number is
 *   taken first, from the left.
 * - An ID number is 18 digits (not followed by a letter) or 17 and an X: its 7th to 14th digits are
 *   hidden. Then a bank card, 16 to 19 digits: all but its last four. Then a mobile, 11 digits from
 *   13 to 19, with or without 86 / 0086 before: its 4th to 7th digits. Then a landline, 0 and 9 to
 *   11 digits: the local number's digits before its last four show as `****` (whatever their
 *   count); the area code is the bracketed or first group when the number is written in groups,
 *   else 010 / 02x three digits and others four.
 * - A hidden digit becomes one `*` (ID, card, mobile); separators stay where they were:
 *   `139 **** 5678`, `320102 ******** 7777`, `**** **** **** ***0 123`, `025 **** 1234`.
 * - What stays: dates (2026-12-07, 2026.12.07, 2026年12月7日: their groups of 2 digits join
 *   nothing), counts and money (1200元), house numbers (77号701室), a ticket number (14 digits, and
 *   a group of more than 8 never joins another), any number of a length none of the above has.
 */
export function maskPersonalNumbers(text: string): string {
  const norm = asciiForms(text);
  const out = text.split('');
  for (const run of norm.matchAll(DIGIT_RUN)) {
    const start = run.index;
    const end = start + run[0].length;
    const groups = [...run[0].matchAll(/[0-9]+/g)].map((g) =>
      Array.from(g[0], (_, k) => start + g.index + k),
    );
    const bracketed = run[0].startsWith('(');
    const checkX = /[Xx]/.test(norm[end] ?? '') && !/[0-9A-Za-z]/.test(norm[end + 1] ?? '');
    const letterAfter = /[A-Za-z]/.test(norm[end] ?? '');
    const joinable = (g: number[]) => g.length >= 3 && g.length <= 8;
    for (let i = 0; i < groups.length;) {
      const ends = [i];
      for (let j = i + 1, n = groups[i].length; j < groups.length && joinable(groups[i]); j++) {
        n += groups[j].length;
        if (!joinable(groups[j]) || n > 19) break;
        ends.push(j);
      }
      let taken = 1;
      for (const j of ends.reverse()) {
        const at = groups.slice(i, j + 1).flat();
        const last = j === groups.length - 1;
        const hidden = hiddenDigits(at.map((k) => norm[k]).join(''), {
          groups: j - i + 1,
          first: groups[i].length,
          bracketed: bracketed && i === 0,
          checkX: last && checkX,
          letterAfter: last && letterAfter,
        });
        if (hidden === null) continue;
        if (hidden.asFourStars) {
          for (let k = at[hidden.from]; k <= at[hidden.to - 1]; k++) out[k] = '';
          out[at[hidden.from]] = '****';
        } else for (let k = hidden.from; k < hidden.to; k++) out[at[k]] = '*';
        taken = j - i + 1;
        break;
      }
      i += taken;
    }
  }
  return out.join('');
}

/** The fewest digits a known number has to be looked for in text (as intake takes a phone). */
const KNOWN_NUMBER_MIN_DIGITS = 5;

/**
 * The numbers the record knows (the complainant's phone), masked wherever they stand in free text:
 * every digit of an occurrence becomes one `*`, separators and a country code before it stay
 * (`+86 *** **** ****`). An occurrence is the number's digits (without China's country code, as
 * `normalisePhone` reads them) in order, full-width or ASCII, with up to two spaces, hyphens, dots or
 * a closing bracket between any two of them ((025) 8345-1234), after +86, 86 or 0086 or after no
 * digit, and before no digit; for a landline also its local number without the area code
 * (83451234 of 025-83451234). A number of fewer than 5 digits is not looked for. Run it before
 * `maskPersonalNumbers`, which leaves a mobile's first three and last four digits.
 */
export function maskKnownNumbersIn(text: string, numbers: readonly (string | null | undefined)[]): string {
  const known = new Set<string>();
  for (const number of numbers) {
    const digits = number ? normalisePhone(asciiForms(number)) : null;
    if (digits === null || digits.length < KNOWN_NUMBER_MIN_DIGITS) continue;
    known.add(digits);
    const area = /^0[0-9]{9,11}$/.test(digits) ? areaCodeLength(digits) : 0;
    if (area > 0) known.add(digits.slice(area));
  }
  let masked = text;
  for (const digits of [...known].sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(
      `(?<![0-9])(?:(?:\\+|00)?86[ .-]?)?(${[...digits].join('[ .)-]{0,2}')})(?![0-9])`,
      'g',
    );
    const norm = asciiForms(masked);
    const out = masked.split('');
    for (const m of norm.matchAll(pattern)) {
      const end = m.index + m[0].length;
      for (let k = end - m[1].length; k < end; k++) if (/[0-9]/.test(norm[k])) out[k] = '*';
    }
    masked = out.join('');
  }
  return masked;
}

/**
 * The names the record knows (the complainant's), masked wherever they stand in free text, one star
 * a character: a reader who must not know the person (an expert evaluator) sees neither the
 * structured name nor the name the caller or a unit wrote into the appeal, a reply or a note. The
 * name is found with any whitespace between its characters (赵 探针 for 赵探针: `* **`, the
 * whitespace stays). A name of one character is not looked for (it would mask that character
 * everywhere); the longest first, so that a name within another is not half masked.
 */
export function maskNamesIn(text: string, names: readonly (string | null | undefined)[]): string {
  const known = [...new Set(names.map((n) => n?.trim() ?? '').filter((n) => [...n].length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  let masked = text;
  for (const name of known) {
    const chars = [...name]
      .filter((c) => !/\s/u.test(c))
      .map((c) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
    masked = masked.replace(new RegExp(chars.join('\\s*'), 'gu'), (m) => m.replace(/\S/gu, '*'));
  }
  return masked;
}
