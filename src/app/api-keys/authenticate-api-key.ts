/**
 * Turns the bearer credential of a REST API request into the scope it may see. A missing
 * credential, an unknown key and a revoked key all fail with 'unauthenticated'; the last two
 * with the same detail, so a caller cannot tell a revoked key from a wrong one.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { digestsEqual, sha256Hex } from '../secrets.js';

/** last_used_at is written at most this often per key, so reads do not become writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(ctx: AppContext, credential: string | undefined): Promise<ApiScope> {
  if (!credential) throw new ServiceError('unauthenticated', 'missing API key: send Authorization: Bearer <api key>');
  const digest = sha256Hex(credential);
  // The lookup is by the hash of a 256-bit random secret, so its timing says nothing usable
  // about the key; the constant-time compare guards against a store that matches loosely.
  const key = await ctx.store.apiKeys.findByHash(digest);
  if (!key || !digestsEqual(key.keySha256, digest) || key.revokedAt !== null) {
    throw new ServiceError('unauthenticated', 'invalid API key');
  }
  const now = ctx.clock.now();
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: a failed write must not fail the request it describes.
    await ctx.store.apiKeys.markUsed(key.organizationId, key.id, now.toISOString()).catch(() => undefined);
  }
  return { keyId: key.id, organizationId: key.organizationId };
}
