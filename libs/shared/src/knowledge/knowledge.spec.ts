import { decideKnowledgeReview, isStale, MAX_SEARCH_WORDS, searchWords, typedWords } from './knowledge';

describe('the knowledge base (知识库, RULES §5)', () => {
  const pending = { unitId: 'housing', status: 'pending' as const, reviewedAt: null };
  const reviewed = '2026-12-01T02:00:00Z';

  it('the unit’s leader reviews a pending version of the unit’s own, once', () => {
    expect(decideKnowledgeReview(pending, 'housing', true)).toBe('review');
    expect(decideKnowledgeReview(pending, 'transport', true)).toBe('not_found');
    expect(decideKnowledgeReview(null, 'housing', true)).toBe('not_found');
    const done = { ...pending, reviewedAt: reviewed };
    expect(decideKnowledgeReview({ ...done, status: 'published' }, 'housing', true)).toBe('already');
    expect(decideKnowledgeReview({ ...done, status: 'superseded' }, 'housing', true)).toBe('already');
    expect(decideKnowledgeReview({ ...done, status: 'refused' }, 'housing', false)).toBe('already');
    // A draft settled without review (a newer text approved first, its entry withdrawn) stays so.
    expect(decideKnowledgeReview({ ...pending, status: 'superseded' }, 'housing', true)).toBe('conflict');
    expect(decideKnowledgeReview({ ...pending, status: 'published' }, 'housing', false)).toBe('conflict');
    expect(decideKnowledgeReview({ ...pending, status: 'withdrawn' }, 'housing', true)).toBe('conflict');
  });

  it('is stale once its review day has ended in China', () => {
    const day = Date.parse('2027-03-31T16:00:00Z'); // 2027-04-01 00:00 UTC+8
    expect(isStale('2027-03-31', day - 1)).toBe(false);
    expect(isStale('2027-03-31', day)).toBe(true);
    expect(isStale(null, day)).toBe(false);
  });

  it('reads an operator’s words, each once (the API refuses more than five)', () => {
    expect(typedWords(' 加装电梯，补贴 ')).toEqual(['加装电梯', '补贴']);
    expect(typedWords('a b A c')).toEqual(['a', 'b', 'c']);
    expect(typedWords('  ')).toEqual([]);
  });
});

describe('searchWords', () => {
  // A stand-in for jieba: the words of a few phrases.
  const WORDS: Record<string, string[]> = {
    电梯加装补贴: ['电梯', '加装', '补贴'],
    加装电梯的补贴: ['加装', '电梯', '的', '补贴'],
    '12345热线': ['12345', '热线'],
    的: ['的'],
    'A+B': ['A', '+', 'B'],
  };
  const cut = (t: string) => WORDS[t] ?? [t];

  it('cuts each term into its words, filler out, each word once', () => {
    expect(searchWords(['电梯加装补贴'], cut)).toEqual(['电梯', '加装', '补贴']);
    expect(searchWords(['加装电梯的补贴', '补贴'], cut)).toEqual(['加装', '电梯', '补贴']);
    expect(searchWords(['12345热线'], cut)).toEqual(['12345', '热线']);
    expect(searchWords(['A+B'], cut)).toEqual(['A', 'B']);
  });

  it('keeps a term of nothing but filler whole, and drops no word (the search refuses more than the cap)', () => {
    expect(searchWords(['的'], cut)).toEqual(['的']);
    expect(searchWords([], cut)).toEqual([]);
    const many = Array.from({ length: 20 }, (_, i) => `词${i}`);
    expect(searchWords(many, cut)).toHaveLength(20);
    expect(MAX_SEARCH_WORDS).toBe(12);
  });
});
