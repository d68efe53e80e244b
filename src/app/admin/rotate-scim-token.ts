/**
 * Issues a new SCIM token for a directory. The previous ones keep working for the grace
 * period (so the IdP admin can paste the new one without an outage) unless revoked now.
 */
import { ServiceError } from '../../domain/errors.js';
import { scimBaseUrl, type AppContext } from '../context.js';
import { issueSecret, newScimTokenRecord } from '../secrets.js';
import { directoryRef } from '../directory/views.js';

export interface RotatedToken {
  directoryId: string;
  scimBaseUrl: string;
  token: string;
  tokenId: string;
  /** When the previous tokens stop working; null when they were revoked now. */
  previousTokensExpireAt: string | null;
}

export async function rotateScimToken(
  ctx: AppContext,
  input: { directoryId: string; revokeOld?: boolean; graceMs?: number },
): Promise<RotatedToken> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const secret = issueSecret();
  const tokenId = ctx.ids.next('tok');
  const graceMs = input.graceMs ?? ctx.settings.tokenGraceMs;
  const previousTokensExpireAt = input.revokeOld ? null : new Date(now.getTime() + graceMs).toISOString();
  await ctx.store.transaction(async (tx) => {
    const directory = await tx.directories.findById(input.directoryId);
    if (!directory) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
    await tx.tokens.insert(newScimTokenRecord(tokenId, directory.id, secret, at));
    await tx.tokens.retireOthers(directory.id, tokenId, previousTokensExpireAt ? { expiresAt: previousTokensExpireAt } : { revokedAt: at });
    await tx.events.append(
      directory.id,
      directory.organizationId,
      [{ type: 'directory.token_rotated', data: { directory: directoryRef(directory), tokenId, previousTokenExpiresAt: previousTokensExpireAt } }],
      at,
    );
  });
  return { directoryId: input.directoryId, scimBaseUrl: scimBaseUrl(ctx.settings, input.directoryId), token: secret.secret, tokenId, previousTokensExpireAt };
}
