import { Jieba } from '@node-rs/jieba';
import { filterKeywords } from '@hotline/shared';

/**
 * The words of a ticket title, for the analysis (hot keywords, persistent subjects): jieba's
 * precise mode without HMM (new-word guessing would make up "words" from addresses and names),
 * then `filterKeywords` (stop words, single characters, digits and punctuation out).
 *
 * The default dictionary (about 5 MB, a few hundred ms to load) is read on first use, once.
 */
let jieba: Jieba | undefined;

function instance(): Jieba {
  if (!jieba) {
    // Lazy on purpose: requiring '@node-rs/jieba/dict' reads the dictionary file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dict } = require('@node-rs/jieba/dict') as typeof import('@node-rs/jieba/dict');
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

export function segmentTitle(title: string): string[] {
  if (!title.trim()) return [];
  return filterKeywords(instance().cut(title, false));
}
