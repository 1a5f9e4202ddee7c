import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionPagePath,
  decodeActionResult,
  encodeActionArgs,
  findServerAction,
  readServerActions,
} from './server-actions';

// Shapes as Next 16 writes them (taken from a production build of this portal).
const RESPONSE_WITH_RESULT = [
  '0:{"a":"$@1","f":"","q":"","i":false,"b":"qYUFP3tQuXJhR5KDXyQmV"}',
  '1:{"ok":true,"data":{"results":[{"email":"x1@bench.example","outcome":"sent","note":"$$100"}],"emailSent":true}}',
  '2:"$Sreact.fragment"',
  '7:"/_next/static/chunks/43q84353op2a7.js"',
  '8:I[39756,["$7"],"default"]',
  ':HL["/_next/static/chunks/38jwji75m1_56.css","style"]',
  '',
].join('\n');
const RESPONSE_WITH_ERROR = '0:{"a":"$@1","q":"","i":false,"b":"qYUFP3tQuXJhR5KDXyQmV"}\n1:E{"digest":"2820855528"}\n';

describe('decodeActionResult', () => {
  it('reads the row that row 0 points at, unescaping $$ strings', () => {
    expect(decodeActionResult(RESPONSE_WITH_RESULT)).toEqual({
      ok: true,
      data: { results: [{ email: 'x1@bench.example', outcome: 'sent', note: '$100' }], emailSent: true },
    });
  });

  it('returns undefined for thrown errors and for anything that is not Flight', () => {
    expect(decodeActionResult(RESPONSE_WITH_ERROR)).toBeUndefined();
    expect(decodeActionResult('<!DOCTYPE html><html>…')).toBeUndefined();
    expect(decodeActionResult('')).toBeUndefined();
  });
});

describe('encodeActionArgs', () => {
  it('writes a JSON array and escapes strings that start with $', () => {
    expect(encodeActionArgs(['org1', { emails: ['$a@x.example', 'b@x.example'] }])).toBe(
      '["org1",{"emails":["$$a@x.example","b@x.example"]}]',
    );
  });
});

describe('the server reference manifest', () => {
  const projectDir = mkdtempSync(join(tmpdir(), 'bench-actions-'));
  mkdirSync(join(projectDir, '.next', 'server'), { recursive: true });
  writeFileSync(
    join(projectDir, '.next', 'server', 'server-reference-manifest.json'),
    JSON.stringify({
      node: {
        '7ff73c441ac44a89dcd6b754e1b8f525e11bac6639': {
          workers: { 'app/orgs/[orgId]/invitations/page': { moduleId: 13542, async: false } },
          filename: 'app/orgs/[orgId]/invitations/actions.ts',
          exportedName: 'inviteMembersAction',
        },
      },
      edge: {},
    }),
  );

  it('lists actions with the page that posts them', () => {
    const actions = readServerActions(projectDir);
    const invite = findServerAction(actions, 'inviteMembersAction');
    expect(invite.id).toBe('7ff73c441ac44a89dcd6b754e1b8f525e11bac6639');
    expect(actionPagePath(invite, { orgId: 'abc 1' })).toBe('/orgs/abc%201/invitations');
    expect(() => findServerAction(actions, 'removeMemberAction')).toThrow(/no server action removeMemberAction/);
    expect(() => actionPagePath(invite, {})).toThrow(/\[orgId\]/);
  });
});
