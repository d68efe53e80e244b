/**
 * A directory's SCIM tokens for an admin screen: every token ever issued, newest first, never
 * its hash, each with the state it is in now (so the screen need not redo the time arithmetic).
 */
import { ServiceError } from '../../domain/errors.js';
import type { ScimToken } from '../../domain/model.js';
import type { AppContext } from '../context.js';

/**
 * `active`: works with no end date. `expiring`: rotated out, works until `expiresAt` (the
 * grace period). `expired`: past that. `revoked`: stopped by hand or by a rotation that revoked it.
 */
export type ScimTokenState = 'active' | 'expiring' | 'expired' | 'revoked';

export interface ScimTokenSummary {
  id: string;
  /** The first characters of the token, to tell tokens apart. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: ScimTokenState;
}

/** Same rule as authentication (store findCredentials): usable until expires_at, exclusive. */
export function tokenState(token: ScimToken, now: Date): ScimTokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt === null) return 'active';
  return token.expiresAt > now.toISOString() ? 'expiring' : 'expired';
}

export function summarizeScimToken(token: ScimToken, now: Date): ScimTokenSummary {
  return {
    id: token.id,
    prefix: token.prefix,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
    lastUsedAt: token.lastUsedAt,
    lastUsedIp: token.lastUsedIp,
    state: tokenState(token, now),
  };
}

export async function listScimTokens(ctx: AppContext, input: { directoryId: string }): Promise<ScimTokenSummary[]> {
  const directory = await ctx.store.directories.findById(input.directoryId);
  if (!directory) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
  const now = ctx.clock.now();
  return (await ctx.store.tokens.listAll(directory.id)).map((token) => summarizeScimToken(token, now));
}
