import type en from '@/messages/en.json';
import type { Locale } from './config';
import { formatMessage, type MessageValues } from './format-message';

// Apart from messages.ts so client components get `t` without the catalogs themselves: the
// browser receives only the namespaces a page hands down.

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
