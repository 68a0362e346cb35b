import type { Jieba } from '@node-rs/jieba';
import { filterKeywords } from '@hotline/shared';

/**
 * Chinese text cut into words with jieba (precise mode, without HMM: new-word guessing would make
 * up "words" from addresses and names). The module and its default dictionary (about 5 MB, a few
 * hundred ms to load) are loaded on first use, once, so a process that never segments (the worker)
 * never pays for them.
 */
let jieba: Jieba | undefined;

function instance(): Jieba {
  if (!jieba) {
    // Lazy on purpose: requiring '@node-rs/jieba/dict' reads the dictionary file.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as typeof import('@node-rs/jieba/dict');
    /* eslint-enable @typescript-eslint/no-require-imports */
    jieba = JiebaClass.withDict(dict);
  }
  return jieba;
}

/** The words of a text as jieba cuts it, every piece kept (spaces too). */
export function cutWords(text: string): string[] {
  return text.trim() ? instance().cut(text, false) : [];
}

/**
 * The words of a ticket title, for the analysis (hot keywords, persistent subjects): jieba's
 * words, then `filterKeywords` (stop words, single characters, digits and punctuation out).
 */
export function segmentTitle(title: string): string[] {
  return filterKeywords(cutWords(title));
}
