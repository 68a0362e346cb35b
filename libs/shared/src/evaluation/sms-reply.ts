import type { Verdict } from '../domain/vocabulary';

/**
 * The citizen's answer to the callback SMS (回复1满意，2基本满意，3不满意). Full-width digits,
 * spaces and punctuation are forgiven (NFKC, then stripped); the digit, the words, or the digit
 * followed by its words count. Anything else is no answer the platform may guess at: null, and an
 * operator calls (the manual callback). Note 不满意 contains 满意: words are matched whole.
 */
const ANSWERS: [Verdict, string, string[]][] = [
  ['satisfied', '1', ['满意', '非常满意']],
  ['basically_satisfied', '2', ['基本满意', '比较满意']],
  ['unsatisfied', '3', ['不满意', '不满', '很不满意', '非常不满意']],
];

export function parseSmsReply(text: string): Verdict | null {
  const t = text.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
  for (const [verdict, digit, words] of ANSWERS)
    if (t === digit || words.includes(t) || words.some((w) => t === digit + w)) return verdict;
  return null;
}

/**
 * What became of a message received: it answered the callback, it needs an operator's call (no
 * answer could be read from it), or why it was ignored (an unknown sender, a closed or a late
 * callback).
 */
export const REPLY_OUTCOMES = [
  'applied',
  'needs_manual',
  'ignored_unknown_sender',
  'ignored_closed',
  'ignored_late',
] as const;
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number];
