import en from '@/messages/en.json';
import ja from '@/messages/ja.json';
import ko from '@/messages/ko.json';
import type { Locale } from './config';
import type { Messages, MessageSubset, Namespace } from './translator';

export {
  createTranslator,
  type MessageKey,
  type Messages,
  type MessageSubset,
  type Namespace,
  type Translator,
} from './translator';

type Tree = { [key: string]: string | Tree };

const CATALOGS: Record<Locale, Tree> = { en, ko, ja };

function deepMerge(base: Tree, override: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] =
      typeof value === 'object' && typeof current === 'object' ? deepMerge(current, value) : value;
  }
  return merged;
}

const mergedCatalogs = new Map<Locale, Messages>();

/** A locale's full catalog with English filling any key a translation has not caught up with. */
export function getCatalog(locale: Locale): Messages {
  let catalog = mergedCatalogs.get(locale);
  if (!catalog) {
    catalog = (locale === 'en' ? en : deepMerge(en, CATALOGS[locale])) as Messages;
    mergedCatalogs.set(locale, catalog);
  }
  return catalog;
}

/** The namespaces a client subtree needs, so the browser gets only the text it shows. */
export function pickMessages(messages: Messages, namespaces: readonly Namespace[]): MessageSubset {
  const subset: Record<string, unknown> = {};
  for (const namespace of namespaces) subset[namespace] = messages[namespace];
  return subset as MessageSubset;
}
