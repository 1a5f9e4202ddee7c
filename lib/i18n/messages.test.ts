import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import ja from '@/messages/ja.json';
import ko from '@/messages/ko.json';
import { messageArguments } from './format-message';
import { createTranslator, getCatalog, pickMessages } from './messages';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const english = flatten(en);

describe.each([
  ['ko', ko],
  ['ja', ja],
])('the %s catalog', (_locale, catalog) => {
  const translated = flatten(catalog);

  it('has exactly the English keys', () => {
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('keeps every placeholder of the English text', () => {
    for (const [key, template] of english) {
      expect({ key, args: messageArguments(translated.get(key) ?? '') }).toEqual({
        key,
        args: messageArguments(template),
      });
    }
  });

  it('is actually translated, not copied', () => {
    const copied = [...english].filter(
      ([key, text]) => translated.get(key) === text && /[a-z]{4}/i.test(text),
    );
    // Only pure placeholders may match English verbatim.
    expect(copied.map(([key]) => key)).toEqual(['table.loadErrorBody']);
  });
});

describe('createTranslator', () => {
  it('translates with values', () => {
    const t = createTranslator('en', getCatalog('en'));
    expect(t('members.count', { count: 2500 })).toBe('2,500 members');
    expect(t('members.matching', { count: 12, q: 'smith' })).toBe('12 matching “smith”');
    expect(createTranslator('ja', getCatalog('ja'))('members.count', { count: 2500 })).toBe(
      '2,500人のメンバー',
    );
  });

  it('shows the key for a namespace that was not handed to the client', () => {
    const t = createTranslator('en', pickMessages(getCatalog('en'), ['table']));
    expect(t('table.nextPage')).toBe('Next page');
    expect(t('members.title')).toBe('members.title');
  });
});
