/** The real clock and ID generator (tests pass their own). */
import { randomBytes } from 'node:crypto';
import { encodeSortableId, type IdGenerator, type IdPrefix } from '../domain/ids.js';

export function createIdGenerator(): IdGenerator {
  return { next: (prefix: IdPrefix) => `${prefix}_${encodeSortableId(Date.now(), randomBytes(10))}` };
}
