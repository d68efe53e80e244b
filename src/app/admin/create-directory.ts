/**
 * Creates a directory for an organization and its first SCIM bearer token. The token is
 * returned here once; only its hash is stored.
 */
import { ServiceError } from '../../domain/errors.js';
import { PROVIDERS, type Directory, type Provider } from '../../domain/model.js';
import { scimBaseUrl, type AppContext } from '../context.js';
import { issueSecret, newScimTokenRecord, type IssuedSecret } from '../secrets.js';

export interface CreatedDirectory {
  directory: Directory;
  scimBaseUrl: string;
  token: string;
}

const DEFAULT_NAMES: Record<Provider, string> = { okta: 'Okta', entra: 'Microsoft Entra ID', generic: 'SCIM 2.0' };

export async function createDirectory(
  ctx: AppContext,
  input: { organizationId: string; provider: string; name?: string },
): Promise<CreatedDirectory> {
  const secret = issueSecret();
  const directory = await insertDirectory(ctx, input, secret);
  return { directory, scimBaseUrl: scimBaseUrl(ctx.settings, directory.id), token: secret.secret };
}

/**
 * The portal's variant: the IT administrator picks the provider first and generates the token
 * at the step where it is pasted, so no token exists that nobody has seen.
 */
export function createDirectoryWithoutToken(ctx: AppContext, input: { organizationId: string; provider: string; name?: string }): Promise<Directory> {
  return insertDirectory(ctx, input, undefined);
}

async function insertDirectory(
  ctx: AppContext,
  input: { organizationId: string; provider: string; name?: string },
  secret: IssuedSecret | undefined,
): Promise<Directory> {
  if (!PROVIDERS.includes(input.provider as Provider)) {
    throw new ServiceError('invalid_value', `provider must be one of ${PROVIDERS.join(', ')} (got "${input.provider}")`);
  }
  const provider = input.provider as Provider;
  const at = ctx.clock.now().toISOString();
  const directory: Directory = {
    id: ctx.ids.next('dir'),
    organizationId: input.organizationId,
    name: input.name?.trim() || DEFAULT_NAMES[provider],
    provider,
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.organizations.findById(input.organizationId))) {
      throw new ServiceError('not_found', `organization ${input.organizationId} does not exist`);
    }
    await tx.directories.insert(directory);
    if (secret) await tx.tokens.insert(newScimTokenRecord(ctx.ids.next('tok'), directory.id, secret, at));
  });
  return directory;
}
