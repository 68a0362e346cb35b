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
 * (+86 138 0013 8000 shows as 138****8000, as the number is read); a short number is all stars.
 */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = /^(\+?86|0086)/.test(phone.replace(/[\s-]/g, '')) ? normalisePhone(phone) : null;
  const n = digits ?? phone;
  if (n.length < 7) return '*'.repeat(n.length);
  return `${n.slice(0, 3)}${'*'.repeat(n.length - 7)}${n.slice(-4)}`;
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
 * among which is a number as long as a phone or an ID number (a caller's number, an ID card's,
 * written in the appeal's text). Such a search is logged, whatever it found, each ticket it matched
 * under that ticket, and a user makes only so many of them: a masked phone (139****7771) leaves
 * four digits to guess, and a search answers how many tickets match.
 */
export const PERSONAL_NUMBER = /[0-9]{7,}|[0-9]{17}[Xx]/;
export function searchesPersonalData(filter: {
  complainantPhone?: string;
  words?: readonly string[];
}): boolean {
  return filter.complainantPhone !== undefined || (filter.words ?? []).some((w) => PERSONAL_NUMBER.test(w));
}

/** How many such searches one user makes in a window: enough for the calls of a shift, not for guessing. */
export const PERSONAL_DATA_SEARCH_LIMIT = { searches: 60, windowMinutes: 10 } as const;

/** At most this many of the tickets one search matched are logged one by one (a phone has far fewer). */
export const PERSONAL_DATA_SEARCH_LOGGED = 1000;

/**
 * Numbers that name a person, masked in free text (an appeal's content, a reply, a note): a
 * resident ID number (its birth date and order: 320102********777X), a bank card of 16 to 19 digits
 * (all but its last four; a ticket number, 14 digits, stays), a mainland mobile (139****7771) and a landline (025-****1234). Only the structured fields
 * are encrypted; what a caller said and the operator typed is text, and a reader who must not know
 * the person (an expert evaluator) reads it through this. A name in the text is not found by it:
 * `maskNamesIn` masks the names the record knows.
 */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/g, '$1********$2')
    .replace(
      /(?<![0-9*])[0-9]{12,15}([0-9]{4})(?![0-9])/g,
      (m, last: string) => `${'*'.repeat(m.length - 4)}${last}`,
    )
    .replace(/(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])/g, '$1****$2')
    .replace(/(?<![0-9])(0[0-9]{2,3}-?)[0-9]{3,4}([0-9]{4})(?![0-9])/g, '$1****$2');
}

/**
 * The names the record knows (the complainant's), masked wherever they stand in free text, one star
 * a character: a reader who must not know the person (an expert evaluator) sees neither the
 * structured name nor the name the caller or a unit wrote into the appeal, a reply or a note. A name
 * of one character is not looked for (it would mask that character everywhere); the longest first,
 * so that a name within another is not half masked.
 */
export function maskNamesIn(text: string, names: readonly (string | null | undefined)[]): string {
  const known = [...new Set(names.map((n) => n?.trim() ?? '').filter((n) => [...n].length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  let masked = text;
  for (const name of known) masked = masked.split(name).join('*'.repeat([...name].length));
  return masked;
}
