import { describe, expect, it } from 'vitest';
import { inviteSchema } from '@/app/orgs/[orgId]/invitations/invite-schema';
import { createTranslator, getCatalog } from '@/lib/i18n/messages';
import type { OrganizationInvitation } from '@/lib/logto/types';
import { parseTableState } from '@/lib/table-state';
import { addInvitees, invitationShareLink, isValidEmail, splitAddresses } from './invitation-input';
import { pageInvitations, parseInvitationTab } from './invitations';

const NOW = Date.UTC(2026, 10, 1);

function invitation(
  id: string,
  invitee: string,
  status: OrganizationInvitation['status'],
): OrganizationInvitation {
  return {
    tenantId: 'default',
    id,
    inviterId: 'u-alice',
    invitee,
    acceptedUserId: status === 'Accepted' ? 'u-x' : null,
    organizationId: 'acme',
    status,
    createdAt: NOW,
    updatedAt: NOW,
    expiresAt: NOW + 86_400_000,
    organizationRoles: [],
  };
}

// Newest first, as Logto lists them.
const LIST = [
  invitation('i1', 'new1@example.com', 'Pending'),
  invitation('i2', 'New2@Example.com', 'Pending'),
  invitation('i3', 'old@other.example', 'Expired'),
  invitation('i4', 'joined@example.com', 'Accepted'),
  invitation('i5', 'gone@other.example', 'Revoked'),
  invitation('i6', 'new3@example.com', 'Pending'),
];

describe('pageInvitations', () => {
  it('shows pending invitations by default, with counts for every tab', () => {
    const page = pageInvitations(LIST, parseTableState({}));
    expect(page.status).toBe('pending');
    expect(page.rows.map(({ id }) => id)).toEqual(['i1', 'i2', 'i6']);
    expect(page.total).toBe(3);
    expect(page.counts).toEqual({ pending: 3, accepted: 1, expired: 1, revoked: 1, all: 6 });
  });

  it('filters by tab and searches the invitee case-insensitively; counts follow the search', () => {
    const page = pageInvitations(LIST, parseTableState({ status: 'all', q: 'EXAMPLE.COM' }));
    expect(page.rows.map(({ id }) => id)).toEqual(['i1', 'i2', 'i4', 'i6']);
    expect(page.counts).toEqual({ pending: 3, accepted: 1, expired: 0, revoked: 0, all: 4 });
    expect(pageInvitations(LIST, parseTableState({ status: 'Revoked' })).rows.map(({ id }) => id)).toEqual([
      'i5',
    ]);
  });

  it('slices pages and clamps a page past the end to the last one', () => {
    const many = Array.from({ length: 45 }, (_, index) =>
      invitation(`p${index}`, `p${index}@example.com`, 'Pending'),
    );
    const second = pageInvitations(many, parseTableState({ page: '2', page_size: '20' }));
    expect(second.rows.map(({ id }) => id)).toEqual(many.slice(20, 40).map(({ id }) => id));
    const clamped = pageInvitations(many, parseTableState({ page: '9', page_size: '20' }));
    expect({ page: clamped.page, rows: clamped.rows.length, total: clamped.total }).toEqual({
      page: 3,
      rows: 5,
      total: 45,
    });
    expect(pageInvitations([], parseTableState({ page: '4' }))).toMatchObject({
      page: 1,
      rows: [],
      total: 0,
    });
  });

  it('falls back to the pending tab for an unknown status', () => {
    expect(parseInvitationTab('bogus')).toBe('pending');
    expect(parseInvitationTab(undefined)).toBe('pending');
    expect(parseInvitationTab('EXPIRED')).toBe('expired');
  });
});

describe('splitAddresses and addInvitees', () => {
  it('splits on commas, semicolons, spaces and new lines, keeping mail-client display names out', () => {
    expect(
      splitAddresses(
        'a@x.example, b@x.example;c@x.example\n d@x.example\t"Lovelace, Ada" <ada@x.example>, Bob B <bob@x.example> mailto:e@x.example',
      ),
    ).toEqual([
      'a@x.example',
      'b@x.example',
      'c@x.example',
      'd@x.example',
      'ada@x.example',
      'bob@x.example',
      'e@x.example',
    ]);
    expect(splitAddresses(' ,\n ')).toEqual([]);
  });

  it('merges duplicates in any letter case and checks each address', () => {
    const first = addInvitees([], ['Ann@X.example', 'not-an-email', 'ann@x.example']);
    expect(first).toEqual({
      list: [
        { email: 'ann@x.example', isValid: true },
        { email: 'not-an-email', isValid: false },
      ],
      merged: 1,
    });
    expect(addInvitees(first.list, ['ANN@x.example', 'zed@x.example'])).toMatchObject({
      merged: 1,
      list: { length: 3 },
    });
  });

  it('accepts what Logto accepts and refuses the rest', () => {
    expect(['a.b+tag@sub.example.co', "o'neil@example.com"].every(isValidEmail)).toBe(true);
    expect(
      ['a@b', 'a@@b.com', '@b.com', 'a b@c.com', `${'x'.repeat(250)}@example.com`].some(isValidEmail),
    ).toBe(false);
  });

  it('puts the invitee in the fragment of the link, never in the path or query', () => {
    const link = new URL(invitationShareLink('http://localhost:3000/', 'abc123', 'Ann+1@x.example'));
    expect(link.pathname).toBe('/invitations/abc123');
    expect(link.search).toBe('');
    expect(new URLSearchParams(link.hash.slice(1)).get('email')).toBe('Ann+1@x.example');
  });
});

describe('inviteSchema', () => {
  const schema = inviteSchema(createTranslator('en', getCatalog('en')));

  it('lower-cases and de-duplicates, from a list or from pasted text', () => {
    const parsed = schema.parse({
      emails: 'A@x.example, a@X.example\nb@x.example',
      roleIds: 'r1',
      expiresInDays: '7',
    });
    expect(parsed).toEqual({ emails: ['a@x.example', 'b@x.example'], roleIds: ['r1'], expiresInDays: 7 });
    expect(schema.parse({ emails: ['c@x.example'], expiresInDays: 30 }).roleIds).toEqual([]);
  });

  it('reports every malformed address under its own index', () => {
    const result = schema.safeParse({
      emails: ['ok@x.example', 'bad', 'worse@'],
      roleIds: [],
      expiresInDays: 7,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['emails.1', '“bad” is not a valid email address.'],
      ['emails.2', '“worse@” is not a valid email address.'],
    ]);
  });

  it('refuses 1,000 addresses at once with a message that says how many', () => {
    const emails = Array.from({ length: 1000 }, (_, index) => `person${index}@x.example`);
    const result = schema.safeParse({ emails, roleIds: [], expiresInDays: 7 });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'You can invite up to 200 people at once; this list has 1,000. Split it into smaller batches.',
    ]);
  });

  it('accepts only the offered expiries: nothing in the past, nothing odd', () => {
    for (const expiresInDays of [-1, 0, 2, 31, 'soon', 7.5]) {
      const result = schema.safeParse({ emails: ['a@x.example'], expiresInDays });
      expect(result.error?.issues[0]).toMatchObject({
        path: ['expiresInDays'],
        message: 'Choose an expiry of 1, 3, 7, 14 or 30 days.',
      });
    }
  });

  it('requires at least one address', () => {
    expect(schema.safeParse({ emails: [], expiresInDays: 7 }).error?.issues[0]?.message).toBe(
      'Add at least one email address.',
    );
  });
});
