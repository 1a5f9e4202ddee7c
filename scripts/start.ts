import { runPortal } from './lib/run-portal';

await runPortal('start');
