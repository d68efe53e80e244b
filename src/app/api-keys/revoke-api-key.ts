/** Revokes an API key at once: the next request made with it gets 401. Revoking twice is a no-op. */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { summarizeApiKey, type ApiKeySummary } from './create-api-key.js';

export async function revokeApiKey(ctx: AppContext, input: { keyId: string }): Promise<ApiKeySummary> {
  const key = await ctx.store.apiKeys.findById(input.keyId);
  if (!key) throw new ServiceError('not_found', `API key ${input.keyId} does not exist`);
  if (key.revokedAt) return summarizeApiKey(key);
  const at = ctx.clock.now().toISOString();
  await ctx.store.apiKeys.revoke(key.organizationId, key.id, at);
  return summarizeApiKey({ ...key, revokedAt: at });
}
