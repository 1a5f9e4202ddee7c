import { describe, expect, it } from 'vitest';
import { createTranslator, getCatalog } from '@/lib/i18n/messages';
import { organizationSettingsSchema } from './settings-schema';

const schema = organizationSettingsSchema(createTranslator('en', getCatalog('en')));
const valid = {
  name: ' Acme ',
  description: '',
  logoUrl: 'https://cdn.example.com/logo.png',
  darkLogoUrl: '',
  primaryColor: '#5D34F2',
  isMfaRequired: true,
};

describe('organizationSettingsSchema', () => {
  it('trims, turns empty fields into null and lower-cases the colour', () => {
    expect(schema.parse(valid)).toEqual({
      name: 'Acme',
      description: null,
      logoUrl: 'https://cdn.example.com/logo.png',
      darkLogoUrl: null,
      primaryColor: '#5d34f2',
      isMfaRequired: true,
    });
  });

  it('reports every bad field at once, in words', () => {
    const result = schema.safeParse({
      name: '',
      description: 'x'.repeat(257),
      logoUrl: 'http://cdn.example.com/logo.png',
      darkLogoUrl: 'javascript:alert(1)',
      primaryColor: 'blue',
      isMfaRequired: 'yes',
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['darkLogoUrl', 'description', 'isMfaRequired', 'logoUrl', 'name', 'primaryColor']);
    expect(result.error?.issues.find((issue) => issue.path[0] === 'logoUrl')?.message).toBe(
      'Enter a full web address starting with https://.',
    );
  });

  it('accepts three-digit colours and refuses five', () => {
    expect(schema.parse({ ...valid, primaryColor: '#ABC' }).primaryColor).toBe('#abc');
    expect(schema.safeParse({ ...valid, primaryColor: '#12345' }).success).toBe(false);
  });
});
