/**
 * Runs the local Logto in a process of its own for the bench and the security suite, so its
 * work never shares an event loop with the code that measures the portal. Reads its options as
 * JSON from argv[2], prints one JSON line `{ "url": ... }` once it listens, and stops on SIGTERM.
 */
import { startEmulator, type EmulatorOptions } from '../../emulator/server';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator({ ...options, port: options.port ?? 0, quiet: true });
process.stdout.write(`${JSON.stringify({ url: emulator.url, startup: emulator.startup })}\n`);

let isClosing = false;
const stop = () => {
  if (isClosing) return;
  isClosing = true;
  void emulator.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent died without stopping us: do not linger.
process.on('disconnect', stop);
