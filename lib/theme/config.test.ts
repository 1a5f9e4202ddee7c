import { describe, expect, it } from 'vitest';
import { parseThemeChoice, themeAttribute } from './config';

describe('theme choice', () => {
  it('reads light and dark, and anything else as system', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('DARK')).toBe('system');
    expect(parseThemeChoice(undefined)).toBe('system');
    expect(parseThemeChoice('"><script>')).toBe('system');
  });

  it('pins the palette only for an explicit choice', () => {
    expect(themeAttribute('system')).toBeUndefined();
    expect(themeAttribute('light')).toBe('light');
    expect(themeAttribute('dark')).toBe('dark');
  });
});
