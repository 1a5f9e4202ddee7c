import type { Locale } from './config';

/**
 * A small subset of ICU MessageFormat, enough for our catalogs without next-intl:
 * `{name}`, `{count, number}`, `{count, plural, =0 {…} one {# item} other {# items}}` and
 * `{status, select, Pending {…} other {…}}`. `#` inside a plural branch is the locale-formatted
 * number. Apostrophes are plain text (no ICU quoting), so "Couldn't" needs no escaping.
 */
export type MessageValues = Record<string, string | number>;

type MessageNode =
  | { kind: 'text'; value: string }
  | { kind: 'arg'; name: string }
  | { kind: 'number'; name: string }
  | { kind: 'pound' }
  | { kind: 'plural'; name: string; branches: Map<string, MessageNode[]> }
  | { kind: 'select'; name: string; branches: Map<string, MessageNode[]> };

/** Thrown for a catalog entry the formatter cannot read; catalogs are checked by unit tests. */
export class MessageSyntaxError extends Error {
  constructor(template: string, reason: string) {
    super(`Cannot parse message "${template}": ${reason}`);
    this.name = 'MessageSyntaxError';
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly source: string) {}

  parse(): MessageNode[] {
    const nodes = this.parseNodes(false);
    if (this.pos < this.source.length) this.fail('unexpected "}"');
    return nodes;
  }

  private fail(reason: string): never {
    throw new MessageSyntaxError(this.source, `${reason} at ${this.pos}`);
  }

  private parseNodes(inPlural: boolean): MessageNode[] {
    const nodes: MessageNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.source.length) {
      const char = this.source[this.pos];
      if (char === '}') break;
      if (char === '{') {
        flush();
        this.pos += 1;
        nodes.push(this.parseArgument(inPlural));
        continue;
      }
      if (char === '#' && inPlural) {
        flush();
        nodes.push({ kind: 'pound' });
        this.pos += 1;
        continue;
      }
      text += char;
      this.pos += 1;
    }
    flush();
    return nodes;
  }

  private readUntil(stops: string): string {
    const start = this.pos;
    while (this.pos < this.source.length && !stops.includes(this.source[this.pos] ?? '')) this.pos += 1;
    if (this.pos >= this.source.length) this.fail('unclosed "{"');
    return this.source.slice(start, this.pos).trim();
  }

  private skipSpace() {
    while (/\s/.test(this.source[this.pos] ?? '')) this.pos += 1;
  }

  private parseArgument(inPlural: boolean): MessageNode {
    const name = this.readUntil(',}');
    if (!name) this.fail('empty argument name');
    if (this.source[this.pos] === '}') {
      this.pos += 1;
      return { kind: 'arg', name };
    }
    this.pos += 1;
    const type = this.readUntil(',}');
    if (this.source[this.pos] === '}') {
      this.pos += 1;
      if (type !== 'number') this.fail(`unsupported argument type "${type}"`);
      return { kind: 'number', name };
    }
    if (type !== 'plural' && type !== 'select') this.fail(`unsupported argument type "${type}"`);
    this.pos += 1;
    const branches = new Map<string, MessageNode[]>();
    for (;;) {
      this.skipSpace();
      if (this.source[this.pos] === '}') {
        this.pos += 1;
        break;
      }
      const selector = this.readUntil('{ \n\t');
      this.skipSpace();
      if (this.source[this.pos] !== '{') this.fail(`expected "{" after "${selector}"`);
      this.pos += 1;
      branches.set(selector, this.parseNodes(type === 'plural' || inPlural));
      if (this.source[this.pos] !== '}') this.fail('unclosed branch');
      this.pos += 1;
    }
    if (!branches.has('other')) this.fail(`"${name}" needs an "other" branch`);
    return { kind: type, name, branches };
  }
}

const parsedCache = new Map<string, MessageNode[]>();

function parseMessage(template: string): MessageNode[] {
  let nodes = parsedCache.get(template);
  if (!nodes) {
    nodes = new Parser(template).parse();
    parsedCache.set(template, nodes);
  }
  return nodes;
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const pluralRules = new Map<Locale, Intl.PluralRules>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

function pluralCategory(locale: Locale, value: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(value);
}

function render(
  locale: Locale,
  nodes: MessageNode[],
  values: MessageValues,
  pound: number | undefined,
): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.value;
        break;
      case 'pound':
        out += pound === undefined ? '#' : numberFormat(locale).format(pound);
        break;
      case 'arg': {
        const value = values[node.name];
        out +=
          value === undefined
            ? `{${node.name}}`
            : typeof value === 'number'
              ? numberFormat(locale).format(value)
              : value;
        break;
      }
      case 'number': {
        const value = Number(values[node.name]);
        out += Number.isFinite(value) ? numberFormat(locale).format(value) : `{${node.name}}`;
        break;
      }
      case 'plural': {
        const value = Number(values[node.name]);
        const branch =
          node.branches.get(`=${value}`) ??
          node.branches.get(pluralCategory(locale, value)) ??
          node.branches.get('other');
        out += render(locale, branch ?? [], values, value);
        break;
      }
      case 'select': {
        const value = String(values[node.name] ?? '');
        const branch = node.branches.get(value) ?? node.branches.get('other');
        out += render(locale, branch ?? [], values, pound);
        break;
      }
    }
  }
  return out;
}

/** Formats one catalog entry for a locale. Unknown arguments stay visible as `{name}`. */
export function formatMessage(locale: Locale, template: string, values: MessageValues = {}): string {
  return render(locale, parseMessage(template), values, undefined);
}

/** The argument names a template uses; the catalog test checks translations keep the same ones. */
export function messageArguments(template: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: MessageNode[]) => {
    for (const node of nodes) {
      if (node.kind === 'arg' || node.kind === 'number') names.add(node.name);
      if (node.kind === 'plural' || node.kind === 'select') {
        names.add(node.name);
        for (const branch of node.branches.values()) walk(branch);
      }
    }
  };
  walk(parseMessage(template));
  return [...names].sort();
}
