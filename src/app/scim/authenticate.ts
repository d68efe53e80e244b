/**
 * Authenticates a SCIM request for one directory. The credential is checked only against
 * that directory's tokens, so a token can never open another directory; digests are compared
 * in constant time. The token is never logged.
 */
import { ServiceError } from '../../domain/errors.js';
import type { Directory } from '../../domain/model.js';
import type { AppContext } from '../context.js';
import { digestsEqual, sha256Hex } from '../secrets.js';

/** Last-use is written at most this often per token, so authentication stays a read. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateScimRequest(
  ctx: AppContext,
  input: { directoryId: string; credential: string | undefined; clientIp: string | null },
): Promise<Directory> {
  if (!input.credential) throw new ServiceError('unauthenticated', 'missing bearer token: send Authorization: Bearer <token>');
  const now = ctx.clock.now();
  const found = await ctx.store.tokens.findCredentials(input.directoryId, now.toISOString());
  const directory = found?.directory;
  const tokens = found?.tokens ?? [];
  const digest = sha256Hex(input.credential);
  let match: (typeof tokens)[number] | undefined;
  for (const token of tokens) if (digestsEqual(token.tokenSha256, digest)) match = token;
  // Same answer for an unknown directory and a wrong token: nothing to learn by probing.
  // meta.directoryKnown lets the caller record the failure in that directory's request log.
  if (!directory || !match) {
    throw new ServiceError('unauthenticated', 'invalid bearer token for this SCIM endpoint', { meta: { directoryKnown: Boolean(directory) } });
  }
  if (directory.status !== 'active') {
    throw new ServiceError('directory_disabled', 'this directory is disabled; an administrator must activate it before provisioning', {
      meta: { directoryKnown: true },
    });
  }
  if (!match.lastUsedAt || now.getTime() - Date.parse(match.lastUsedAt) > LAST_USED_RESOLUTION_MS || match.lastUsedIp !== input.clientIp) {
    await ctx.store.tokens.markUsed(directory.id, match.id, now.toISOString(), input.clientIp);
  }
  return directory;
}
