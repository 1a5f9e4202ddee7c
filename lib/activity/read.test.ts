// The activity log end to end on the portal's own default store: the recording helper writes
// through `getStore()` (embedded PGlite, in memory here) and the table and the CSV read it back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import { closeStore } from '@/lib/store';
import { parseActivityState } from './query-state';
import { ACTIVITY_CSV_HEADER, queryActivityPage, streamActivityCsv } from './read';
import { type ActivityScope, recordActivity, withActivity } from './record';

const alice: ActivityScope['actor'] = { userId: 'alice-id', email: 'alice@acme.example', isOperator: false };
const olivia: ActivityScope['actor'] = {
  userId: 'olivia-id',
  email: 'operator@example.com',
  isOperator: true,
};
// Each run gets its own organizations, so the file does not depend on what else is in the store.
const ACME = `acme-${Date.now()}`;
const GLOBEX = `globex-${Date.now()}`;

const state = (query: string) => parseActivityState(new URLSearchParams(query));

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('PORTAL_DATA_DIR', 'memory://');

  await withActivity(
    { actor: alice, orgId: ACME },
    {
      action: 'member.role_change',
      items: [
        {
          target: { type: 'member', id: 'carol-id', label: 'carol@acme.example' },
          before: { roles: ['member'] },
          after: { roles: ['manager', 'member'] },
        },
      ],
    },
    async () => 'changed',
  );
  await withActivity(
    { actor: alice, orgId: ACME },
    {
      action: 'member.remove',
      items: [{ target: { type: 'member', id: 'alice-id', label: 'alice@acme.example' } }],
    },
    async () => {
      throw new LastRoleAssignerError(['alice-id']);
    },
  ).catch(() => undefined);
  await recordActivity({ actor: olivia, orgId: ACME }, [
    {
      action: 'invitation.create',
      target: { type: 'invitation', id: 'inv-1', label: '=HYPERLINK("http://evil.example")' },
      after: { roles: ['member'], expiresAt: 1 },
      outcome: 'done',
    },
  ]);
  await recordActivity({ actor: alice, orgId: GLOBEX }, [
    {
      action: 'member.remove',
      target: { type: 'member', id: 'dave-id', label: 'dave@globex.example' },
      outcome: 'done',
    },
  ]);
}, 120_000);

afterAll(async () => {
  await closeStore();
  vi.unstubAllEnvs();
}, 60_000);

describe('the activity table', () => {
  it('shows an organization its own entries, newest first, in the browser’s shape', async () => {
    const page = await queryActivityPage(ACME, state(''));
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    expect(page.rows.map((row) => row.action)).toEqual([
      'invitation.create',
      'member.remove',
      'member.role_change',
    ]);
    expect(page.rows[2]).toMatchObject({
      actor: { id: 'alice-id', email: 'alice@acme.example', isOperator: false },
      target: { type: 'member', id: 'carol-id', label: 'carol@acme.example' },
      before: { roles: ['member'] },
      after: { roles: ['manager', 'member'] },
      outcome: 'done',
      reason: null,
    });
    expect(typeof page.rows[0]?.occurredAt).toBe('number');
    expect(page.rows[1]).toMatchObject({ outcome: 'refused', reason: 'last_role_assigner' });
  });

  it('filters by who, what, target text and days', async () => {
    const who = await queryActivityPage(ACME, state('who=olivia-id'));
    expect(who.rows.map((row) => row.actor.email)).toEqual(['operator@example.com']);

    const what = await queryActivityPage(ACME, state('action=member.role_change'));
    expect(what.total).toBe(1);

    const target = await queryActivityPage(ACME, state('q=CAROL'));
    expect(target.rows.map((row) => row.target.id)).toEqual(['carol-id']);

    const [newest] = (await queryActivityPage(ACME, state(''))).rows;
    const day = new Date(newest!.occurredAt).toISOString().slice(0, 10);
    const next = new Date(newest!.occurredAt + 86_400_000).toISOString().slice(0, 10);
    expect((await queryActivityPage(ACME, state(`from=${day}&to=${day}`))).total).toBe(3);
    expect((await queryActivityPage(ACME, state(`from=${next}`))).total).toBe(0);
  });

  it('moves a page past the end to the last page', async () => {
    const page = await queryActivityPage(ACME, state('page=40&page_size=10'));
    expect(page).toMatchObject({ page: 1, total: 3 });
    expect(page.rows).toHaveLength(3);
  });
});

describe('the CSV export', () => {
  it('has every matching entry, newest first, with spreadsheet formulas defused', async () => {
    const text = await readAll(await streamActivityCsv(ACME, state('page=2'), { pageSize: 2 }));
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(ACTIVITY_CSV_HEADER.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(
      `,olivia-id,operator@example.com,true,invitation.create,invitation,inv-1,"'=HYPERLINK(""http://evil.example"")"`,
    );
    expect(lines[3]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,alice-id,alice@acme\.example,false,member\.role_change,member,carol-id,carol@acme\.example,"\{""roles"":\[""member""\]\}","\{""roles"":\[""manager"",""member""\]\}",done,,$/,
    );
  });

  it('applies the table’s filters and leaves out what was recorded after it started', async () => {
    const filtered = await readAll(await streamActivityCsv(ACME, state('action=member.role_change')));
    expect(filtered.split('\r\n').filter(Boolean)).toHaveLength(2);
    const before = await readAll(
      await streamActivityCsv(ACME, state(''), { now: new Date(Date.now() - 3_600_000) }),
    );
    expect(before.split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});
