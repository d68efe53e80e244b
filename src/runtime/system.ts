/** The real ID generator (tests pass their own). */
import { randomFillSync } from 'node:crypto';
import { encodeSortableId, type IdGenerator, type IdPrefix } from '../domain/ids.js';

/** Random bytes drawn from a pooled buffer: one system call per 409 IDs instead of one per ID. */
function pooledRandom(size = 4096): (n: number) => Uint8Array {
  const pool = Buffer.alloc(size);
  let offset = size;
  return (n) => {
    if (offset + n > size) {
      randomFillSync(pool);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + n);
    offset += n;
    return out;
  };
}

export function createIdGenerator(): IdGenerator {
  const random = pooledRandom();
  return { next: (prefix: IdPrefix) => `${prefix}_${encodeSortableId(Date.now(), random(10))}` };
}
