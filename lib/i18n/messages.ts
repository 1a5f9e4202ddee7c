import en from '@/messages/en.json';
import ja from '@/messages/ja.json';
import ko from '@/messages/ko.json';
import type { Locale } from './config';
import { formatMessage, type MessageValues } from './format-message';

/** The English catalog's shape is the contract every other catalog follows. */
export type Messages = typeof en;
export type Namespace = keyof Messages;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key as a dotted path (`members.count`), checked at compile time. */
export type MessageKey = Leaves<Messages>;

/** A catalog subset handed to client components: whole namespaces only. */
export type MessageSubset = Partial<{ [N in Namespace]: Messages[N] }>;

export type Translator = (key: MessageKey, values?: MessageValues) => string;

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

function lookup(messages: MessageSubset, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * A `t(key, values)` over a catalog or subset. A key outside the subset renders as the key
 * itself (and warns in development), which makes a forgotten namespace obvious on screen.
 */
export function createTranslator(locale: Locale, messages: MessageSubset): Translator {
  return (key, values) => {
    const template = lookup(messages, key);
    if (template === undefined) {
      if (process.env.NODE_ENV !== 'production') console.warn(`[i18n] missing message "${key}" (${locale})`);
      return key;
    }
    return formatMessage(locale, template, values);
  };
}
