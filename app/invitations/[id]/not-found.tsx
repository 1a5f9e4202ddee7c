import { getT } from '@/lib/i18n/server';
import { InvitationCard } from './invitation-card';

/** Unknown (or malformed, or deleted) invitation ids all land here, saying nothing more. */
export default async function InvitationNotFound() {
  const t = await getT();
  return (
    <InvitationCard tone="danger" title={t('acceptInvitation.notFoundTitle')}>
      <p>{t('acceptInvitation.notFoundBody')}</p>
    </InvitationCard>
  );
}
