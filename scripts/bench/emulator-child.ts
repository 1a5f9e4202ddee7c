/**
 * Runs the local Logto in a process of its own for the bench and the security suite, so its
 * work never shares an event loop with the code that measures the portal. Reads its options as
 * JSON from argv[2], prints one JSON line `{ "url": ... }` once it listens, and stops on SIGTERM.
 *
 * Over IPC it records when requests arrive (`arrivals:start` / `arrivals:stop`): the time of
 * every request the rate-limit fault counts, taken where that fault takes it, so the bench can
 * find the busiest window exactly as the local Logto's limiter saw it.
 */
import { startEmulator, type EmulatorOptions } from '../../emulator/server';

let recordingStartedAt: number | undefined;

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator({ ...options, port: options.port ?? 0, quiet: true });
process.stdout.write(`${JSON.stringify({ url: emulator.url, startup: emulator.startup })}\n`);

process.on('message', (message: { type?: string }) => {
  if (message.type === 'arrivals:start') {
    recordingStartedAt = performance.now();
    emulator.faults.startRecordingArrivals();
    process.send?.({ type: 'arrivals:started' });
  } else if (message.type === 'arrivals:stop') {
    const startedAt = recordingStartedAt ?? performance.now();
    process.send?.({
      type: 'arrivals',
      startedAtEpochMs: performance.timeOrigin + startedAt,
      times: emulator.faults.stopRecordingArrivals().map((at) => Math.round((at - startedAt) * 100) / 100),
    });
    recordingStartedAt = undefined;
  }
});

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
