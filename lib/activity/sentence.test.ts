import { describe, expect, it } from 'vitest';
import { createTranslator, getCatalog } from '@/lib/i18n/messages';
import type { ActivityListRow } from './kinds';
import { activitySentence, reasonText } from './sentence';

const en = createTranslator('en', getCatalog('en'));
const ko = createTranslator('ko', getCatalog('ko'));
const ja = createTranslator('ja', getCatalog('ja'));

function row(patch: Partial<ActivityListRow>): ActivityListRow {
  return {
    id: 1,
    occurredAt: Date.UTC(2025, 0, 1),
    actor: { id: 'alice-id', email: 'alice@acme.example', isOperator: false },
    action: 'member.role_change',
    target: { type: 'member', id: 'carol-id', label: 'carol@acme.example' },
    before: { roles: ['member'] },
    after: { roles: ['manager', 'member'] },
    outcome: 'done',
    reason: null,
    jobId: null,
    ...patch,
  };
}

describe('activitySentence', () => {
  it('reads a role change as who changed whose roles, from what to what', () => {
    expect(activitySentence(row({}), en)).toBe(
      "alice@acme.example changed carol@acme.example's roles: member → manager, member",
    );
    expect(activitySentence(row({}), ko)).toBe(
      'alice@acme.example님이 carol@acme.example님의 역할을 변경했습니다: member → manager, member',
    );
    expect(activitySentence(row({}), ja)).toBe(
      'alice@acme.example が carol@acme.example のロールを変更しました：member → manager, member',
    );
  });

  it('says "tried to" when the change did not go through', () => {
    const refused = row({ outcome: 'refused', reason: 'last_role_assigner', after: { roles: [] } });
    expect(activitySentence(refused, en)).toBe(
      "alice@acme.example tried to change carol@acme.example's roles to no roles",
    );
    expect(reasonText(refused.reason, en)).toBe('it would leave nobody who can change roles');
  });

  it('names targets it has no label for by their id', () => {
    expect(
      activitySentence(
        row({ action: 'member.remove', target: { type: 'member', id: 'u9', label: null } }),
        en,
      ),
    ).toBe('alice@acme.example removed member u9');
    expect(
      activitySentence(
        row({
          action: 'invitation.revoke',
          outcome: 'refused',
          target: { type: 'invitation', id: 'i7', label: null },
        }),
        en,
      ),
    ).toBe('alice@acme.example tried to revoke the invitation to invitation i7');
  });

  it('covers invitations and organizations', () => {
    expect(
      activitySentence(
        row({
          action: 'invitation.create',
          target: { type: 'invitation', id: 'i1', label: 'dan@x.example' },
          before: null,
        }),
        en,
      ),
    ).toBe('alice@acme.example invited dan@x.example as manager, member');
    expect(
      activitySentence(
        row({
          action: 'invitation.accept',
          actor: { id: 'dan-id', email: 'dan@x.example', isOperator: false },
          after: { status: 'Accepted', roles: ['member'] },
        }),
        en,
      ),
    ).toBe('dan@x.example accepted the invitation and joined as member');
    expect(
      activitySentence(
        row({
          action: 'organization.create',
          actor: { id: 'op', email: null, isOperator: true },
          target: { type: 'organization', id: 'o1', label: 'Initech' },
          before: null,
          after: { name: 'Initech' },
        }),
        en,
      ),
    ).toBe('op created the organization Initech');
  });

  it('reads settings, auto-join and app changes', () => {
    const organization = { type: 'organization', id: 'o1', label: 'Acme' };
    expect(activitySentence(row({ action: 'organization.update', target: organization }), en)).toBe(
      'alice@acme.example changed the settings of Acme',
    );
    const app = { type: 'application', id: 'a1', label: 'Billing sync' };
    expect(
      activitySentence(
        row({ action: 'application.role_change', target: app, after: { roles: ['reader'] } }),
        ko,
      ),
    ).toBe('alice@acme.example님이 앱 Billing sync의 역할을 reader(으)로 변경했습니다');
    expect(
      activitySentence(row({ action: 'application.add', target: app, before: null, after: null }), ja),
    ).toBe('alice@acme.example がアプリ Billing sync を追加しました');
    expect(
      activitySentence(
        row({
          action: 'auto_join.update',
          target: { ...organization, label: '+ acme.example' },
          outcome: 'refused',
        }),
        en,
      ),
    ).toBe('alice@acme.example tried to change auto-join: + acme.example');
  });

  it('keeps kinds it does not know readable', () => {
    expect(activitySentence(row({ action: 'application.create', before: null, after: null }), en)).toBe(
      'alice@acme.example: application.create (carol@acme.example)',
    );
    expect(reasonText('some_new_code', en)).toBe('some_new_code');
  });

  it('lets the table put something else in the actor’s place', () => {
    const text = activitySentence(row({}), ja, { actor: '<A>' });
    expect(text.startsWith('<A> が ')).toBe(true);
  });
});
