import { describe, expect, it } from 'vitest';
import { runToleratingDifference } from './harness';

const failing = () => Promise.reject(new Error('order differs'));
const passing = () => Promise.resolve();

describe('runToleratingDifference', () => {
  it('lets a failure through on the local Logto, which is held to the stricter answer', async () => {
    const notes: string[] = [];
    await expect(
      runToleratingDifference(failing, {
        reason: 'heap order',
        isExternal: false,
        skip: (note) => notes.push(note),
      }),
    ).rejects.toThrow('order differs');
    expect(notes).toEqual([]);
  });

  it('turns a failure on a real Logto into a skip that names the reason, and leaves a pass alone', async () => {
    const notes: string[] = [];
    const skip = (note: string) => notes.push(note);
    await runToleratingDifference(failing, { reason: 'heap order', isExternal: true, skip });
    await runToleratingDifference(passing, { reason: 'heap order', isExternal: true, skip });
    expect(notes).toEqual(['tolerated difference: heap order']);
  });
});
