/**
 * The knowledge base (知识库, RULES §5, PA §1): each unit keeps its own, its duties, policies,
 * regulations and standard answers. A unit's liaison writes an entry (or a new version of one);
 * the unit's leader approves it before operators see it; an outdated entry is withdrawn promptly,
 * and one past its review date is flagged to the centre as stale. Operators search what is
 * published to answer citizens directly (直接解答).
 */
export const KNOWLEDGE_STATUSES = ['pending', 'published', 'refused', 'superseded', 'withdrawn'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

export interface KnowledgeVersion {
  unitId: string;
  status: KnowledgeStatus;
  /** When its leader reviewed it; null for a draft settled unreviewed (superseded by a newer text, withdrawn with its entry). */
  reviewedAt: string | Date | null;
}

/**
 * What the unit's leader's review of a version may do: only a pending version of the unit's own.
 * The same review again is answered as done; a draft settled without review (a newer version was
 * approved before it, or its entry was withdrawn) is a conflict, never published after the fact.
 */
export function decideKnowledgeReview(
  v: KnowledgeVersion | null,
  unitId: string,
  approve: boolean,
): 'not_found' | 'already' | 'conflict' | 'review' {
  if (!v || v.unitId !== unitId) return 'not_found';
  if (v.status === 'pending') return 'review';
  const done = approve
    ? (v.status === 'published' || v.status === 'superseded') && v.reviewedAt !== null
    : v.status === 'refused';
  return done ? 'already' : 'conflict';
}

/** An entry is stale once its review date has passed (China day): the centre chases its unit. */
export function isStale(validUntil: string | null, now: number): boolean {
  if (!validUntil) return false;
  return Date.parse(`${validUntil}T00:00:00+08:00`) + 86_400_000 <= now;
}

/** Words too common to narrow a search (a term of nothing else is kept whole). */
const FILLER = new Set([
  '的',
  '了',
  '和',
  '与',
  '及',
  '或',
  '在',
  '是',
  '对',
  '把',
  '被',
  '给',
  '有',
  '吗',
  '呢',
  '啊',
]);

/**
 * How much one search word weighs in an entry's rank where it is found: the title names what the
 * entry answers, its keywords were chosen for searching, its content only mentions it. Operators see
 * the entries whose titles hold the words first, then by title.
 */
export const SEARCH_WEIGHTS = { title: 4, keywords: 2, content: 1 } as const;

/** The most words a search holds the text to (each is one condition). */
export const MAX_SEARCH_WORDS = 12;

/**
 * The words a search holds the text to: each term the operator typed cut into its words (`cut`:
 * jieba's), so "电梯加装补贴" finds "加装电梯补贴" and "加装电梯的补贴" too; filler words out, a term
 * of nothing else kept whole; each once, at most MAX_SEARCH_WORDS. Every text holding a term whole
 * holds all of its words, so a search finds at least what it found by the whole term.
 */
export function searchWords(terms: readonly string[], cut: (term: string) => string[]): string[] {
  const words = terms.flatMap((term) => {
    const parts = cut(term)
      .map((w) => w.trim())
      .filter((w) => w.length > 0 && !/^[\p{P}\p{S}]+$/u.test(w) && !FILLER.has(w));
    return parts.length > 0 ? parts : [term];
  });
  // All of them: the caller refuses more than MAX_SEARCH_WORDS (one dropped would answer entries
  // that lack it).
  return [...new Set(words)];
}

/** The words an operator typed, split on spaces and punctuation, each once (any case), in order. */
export function typedWords(q: string): string[] {
  const seen = new Map<string, string>();
  for (const t of q.split(/[\s,，。;；、]+/u).map((w) => w.trim()))
    if (t.length > 0 && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  return [...seen.values()];
}
