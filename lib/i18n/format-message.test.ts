import { describe, expect, it } from 'vitest';
import { formatMessage, messageArguments, MessageSyntaxError } from './format-message';

describe('formatMessage', () => {
  it('fills simple arguments and formats numbers for the locale', () => {
    expect(formatMessage('en', 'Hello {name}', { name: 'Alice' })).toBe('Hello Alice');
    expect(formatMessage('en', '{count, number} rows', { count: 2500 })).toBe('2,500 rows');
    expect(formatMessage('en', '{total} in all', { total: 12345 })).toBe('12,345 in all');
  });

  it('chooses plural branches by the locale rules, with # as the formatted number', () => {
    const template = '{count, plural, =0 {no members} one {# member} other {# members}}';
    expect(formatMessage('en', template, { count: 0 })).toBe('no members');
    expect(formatMessage('en', template, { count: 1 })).toBe('1 member');
    expect(formatMessage('en', template, { count: 2500 })).toBe('2,500 members');
    expect(formatMessage('ko', '{count, plural, other {멤버 #명}}', { count: 2500 })).toBe('멤버 2,500명');
  });

  it('renders arguments nested inside plural branches', () => {
    const template = '{count, plural, one {# matching “{q}”} other {# matching “{q}”}}';
    expect(formatMessage('en', template, { count: 12, q: 'smith' })).toBe('12 matching “smith”');
  });

  it('supports select with an other branch', () => {
    const template = '{status, select, Pending {waiting} other {done}}';
    expect(formatMessage('en', template, { status: 'Pending' })).toBe('waiting');
    expect(formatMessage('en', template, { status: 'Revoked' })).toBe('done');
  });

  it('keeps apostrophes as text and unknown arguments visible', () => {
    expect(formatMessage('en', "Couldn't load {thing}")).toBe("Couldn't load {thing}");
  });

  it('rejects malformed templates with a clear error', () => {
    expect(() => formatMessage('en', 'Hello {name')).toThrow(MessageSyntaxError);
    expect(() => formatMessage('en', '{n, plural, one {x}}', { n: 1 })).toThrow(/other/);
    expect(() => formatMessage('en', '{n, date}', { n: 1 })).toThrow(/unsupported/);
  });
});

describe('messageArguments', () => {
  it('lists arguments, including those inside branches', () => {
    expect(messageArguments('{count, plural, other {# matching “{q}”}} for {name}')).toEqual([
      'count',
      'name',
      'q',
    ]);
  });
});
