import { randomInt } from 'node:crypto';

/** Logto's id alphabet (`packages/shared/src/utils/id.ts`): lower-case letters and digits. */
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Id lengths Logto uses: organizations and users 12, everything else 21. */
export const ID_LENGTH = { organization: 12, user: 12, default: 21 } as const;

/** A fresh random id, as Logto generates them for rows created through the API. */
export function generateId(length: number = ID_LENGTH.default): string {
  let id = '';
  for (let index = 0; index < length; index += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/**
 * A deterministic random source (mulberry32) so that every fresh seed yields the same ids and
 * names: tests and docs may quote them.
 */
export type SeededRandom = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  id(length?: number): string;
};

/** Creates a {@link SeededRandom} from a 32-bit seed. */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    id: (length: number = ID_LENGTH.default) => {
      let id = '';
      for (let index = 0; index < length; index += 1) id += ID_ALPHABET[int(0, ID_ALPHABET.length - 1)];
      return id;
    },
  };
}
