/**
 * Revokes one SCIM token at once: the identity provider's next request with it gets 401, while
 * the directory's other tokens keep working (use rotateScimToken to replace a token instead).
 * Revoking a token that no longer works (already revoked, or expired after a rotation) is a
 * no-op that answers the token as it is, like revoking an API key twice: a retried or
 * double-submitted revocation succeeds, and `state` says what the token is now.
 * Revoking the last usable token is allowed (a leaked token must stop), and stops provisioning.
 */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { summarizeScimToken, type ScimTokenSummary } from './list-scim-tokens.js';

export async function revokeScimToken(ctx: AppContext, input: { directoryId: string; tokenId: string }): Promise<ScimTokenSummary> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const directory = await tx.directories.findById(input.directoryId);
    if (!directory) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
    await tx.tokens.revoke(directory.id, input.tokenId, now.toISOString());
    // A directory has a handful of tokens: reading them all is one small query.
    const token = (await tx.tokens.listAll(directory.id)).find((t) => t.id === input.tokenId);
    if (!token) throw new ServiceError('not_found', `SCIM token ${input.tokenId} does not exist in directory ${directory.id}`);
    return summarizeScimToken(token, now);
  });
}
