import { describe, expect, it } from 'vitest';
import { processSingleton } from './process-singleton';

describe('processSingleton', () => {
  it('creates a value once per name and hands the same one back', () => {
    let created = 0;
    const first = processSingleton('test-counter', () => ({ id: ++created }));
    const second = processSingleton('test-counter', () => ({ id: ++created }));
    expect(second).toBe(first);
    expect(created).toBe(1);
    expect(processSingleton('test-other', () => ({ id: 99 }))).not.toBe(first);
  });
});
