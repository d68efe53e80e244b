/** Lists API keys for operators (CLI): never their hashes, revoked ones included and marked. */
import type { AppContext } from '../context.js';
import { summarizeApiKey, type ApiKeySummary } from './create-api-key.js';

export async function listApiKeys(ctx: AppContext): Promise<ApiKeySummary[]> {
  return (await ctx.store.apiKeys.list()).map(summarizeApiKey);
}
