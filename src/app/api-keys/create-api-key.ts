/**
 * Issues an API key for the REST API: scoped to one organization, or global when no
 * organization is given. The key is returned here once; only its SHA-256 is stored.
 */
import type { ApiKey } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { issueSecret } from '../secrets.js';

/** Product prefix, so a leaked key is greppable (secret scanners, logs). */
export const API_KEY_PREFIX = 'scimitar_key_';

/** An API key as it may be shown: everything but its hash. */
export type ApiKeySummary = Omit<ApiKey, 'keySha256'>;

export interface CreatedApiKey {
  apiKey: ApiKeySummary;
  /** The key itself: shown once, never stored. */
  key: string;
}

export const summarizeApiKey = ({ keySha256: _hash, ...rest }: ApiKey): ApiKeySummary => rest;

export async function createApiKey(ctx: AppContext, input: { organizationId?: string | null; name?: string }): Promise<CreatedApiKey> {
  const name = input.name?.trim() || (input.organizationId ? 'organization key' : 'global key');
  if (name.length > 200) throw new ServiceError('invalid_value', 'name must be at most 200 characters');
  const organizationId = input.organizationId || null;
  if (organizationId && !(await ctx.store.organizations.findById(organizationId))) {
    throw new ServiceError('not_found', `organization ${organizationId} does not exist`);
  }
  const secret = issueSecret(API_KEY_PREFIX);
  const apiKey: ApiKey = {
    id: ctx.ids.next('key'),
    organizationId,
    name,
    keySha256: secret.sha256,
    prefix: secret.displayPrefix,
    createdAt: ctx.clock.now().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await ctx.store.apiKeys.insert(apiKey);
  return { apiKey: summarizeApiKey(apiKey), key: secret.secret };
}
