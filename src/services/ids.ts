// Every id podbay makes comes from here, so tests can inject a predictable source.
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  /** A new unique id (pending requests, audit correlation). */
  id(): string;
  /** `length` random characters from [a-z0-9] (pod name suffixes). */
  suffix(length: number): string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Cryptographically random ids; the default everywhere outside tests. */
export const randomIds: IdSource = {
  id: () => randomUUID(),
  suffix: (length) => {
    // Rejection sampling keeps every character equally likely (256 is not a multiple of 36).
    let out = '';
    while (out.length < length) {
      for (const b of randomBytes(length * 2)) {
        if (b < 252 && out.length < length) out += ALPHABET[b % 36];
      }
    }
    return out;
  },
};

/** Predictable ids for tests: "id-1", "id-2", ... and suffixes "000001", "000002", ... */
export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0;
  let s = 0;
  return {
    id: () => `${prefix}-${++n}`,
    suffix: (length) => String(++s).padStart(length, '0').slice(-length),
  };
}
