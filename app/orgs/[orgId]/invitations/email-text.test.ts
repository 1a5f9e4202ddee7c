import { describe, expect, it } from 'vitest';
import { emailBreakSegments } from './email-text';

describe('emailBreakSegments', () => {
  it('breaks after the @ and before each dot, and keeps every character', () => {
    const email = 'first.last+tag@mail.very-long-subsidiary.example.co.jp';
    expect(emailBreakSegments(email)).toEqual([
      'first',
      '.last+tag@',
      'mail',
      '.very-long-subsidiary',
      '.example',
      '.co',
      '.jp',
    ]);
    expect(emailBreakSegments(email).join('')).toBe(email);
  });

  it('leaves an address without dots or @ whole', () => {
    expect(emailBreakSegments('localpart')).toEqual(['localpart']);
    expect(emailBreakSegments('a@b')).toEqual(['a@', 'b']);
  });
});
