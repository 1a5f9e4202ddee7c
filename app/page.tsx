import { redirect } from 'next/navigation';

/** The portal starts at the organizations list, whatever the number of organizations. */
export default function HomePage() {
  redirect('/orgs');
}
