/**
 * Directories through the REST API: the admin use cases (create, status, token rotation,
 * mapping settings), each behind the key's scope. The SCIM token is returned by create and rotate only.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { Directory } from '../../domain/model.js';
import { createDirectory, type CreatedDirectory } from '../admin/create-directory.js';
import { getDirectorySettings, updateDirectorySettings, type DirectorySettings } from '../admin/directory-settings.js';
import { rotateScimToken, type RotatedToken } from '../admin/rotate-scim-token.js';
import { setDirectoryStatus } from '../admin/set-directory-status.js';
import { scimBaseUrl, type AppContext } from '../context.js';
import { getDirectoryInScope, getOrganizationInScope, organizationFor } from './scope.js';

/**
 * A directory as the API shows it: with the SCIM base URL the IdP admin needs. The mapping
 * settings have their own route (/directories/{id}/settings), so they are left out here.
 */
export type ApiDirectory = Omit<Directory, 'settings'> & { scimBaseUrl: string };

const withUrl = (ctx: AppContext, d: Directory): ApiDirectory => ({
  id: d.id,
  organizationId: d.organizationId,
  name: d.name,
  provider: d.provider,
  status: d.status,
  scimBaseUrl: scimBaseUrl(ctx.settings, d.id),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export async function listDirectoriesInScope(ctx: AppContext, scope: ApiScope, filter: { organizationId?: string }): Promise<ApiDirectory[]> {
  const organizationId = await organizationFor(ctx, scope, filter.organizationId);
  const directories = await ctx.store.directoryRead.listDirectories(organizationId ?? null);
  return directories.map((directory) => withUrl(ctx, directory));
}

export async function getDirectoryForApi(ctx: AppContext, scope: ApiScope, id: string): Promise<ApiDirectory> {
  return withUrl(ctx, await getDirectoryInScope(ctx, scope, id));
}

export async function createDirectoryForApi(
  ctx: AppContext,
  scope: ApiScope,
  input: { organizationId?: string; provider: string; name?: string },
): Promise<CreatedDirectory & { directory: ApiDirectory }> {
  // A scoped key may leave organizationId out (its own); a global key must name one.
  const organizationId = input.organizationId ?? scope.organizationId;
  if (organizationId === null) throw new ServiceError('invalid_value', 'organizationId is required with a global API key');
  await getOrganizationInScope(ctx, scope, organizationId);
  const created = await createDirectory(ctx, { organizationId, provider: input.provider, name: input.name });
  return { ...created, directory: withUrl(ctx, created.directory) };
}

export async function setDirectoryStatusForApi(ctx: AppContext, scope: ApiScope, id: string, status: string): Promise<ApiDirectory> {
  await getDirectoryInScope(ctx, scope, id);
  return withUrl(ctx, await setDirectoryStatus(ctx, { directoryId: id, status }));
}

export async function rotateTokenForApi(ctx: AppContext, scope: ApiScope, id: string, input: { revokeOld?: boolean }): Promise<RotatedToken> {
  await getDirectoryInScope(ctx, scope, id);
  return rotateScimToken(ctx, { directoryId: id, revokeOld: input.revokeOld });
}

/** The directory's mapping rules (roles from groups, department groups). */
export async function getSettingsForApi(ctx: AppContext, scope: ApiScope, id: string): Promise<DirectorySettings> {
  await getDirectoryInScope(ctx, scope, id);
  return getDirectorySettings(ctx, id);
}

/** A partial update, validated by app/admin/directory-settings.ts; returns the full settings. */
export async function updateSettingsForApi(ctx: AppContext, scope: ApiScope, id: string, settings: unknown): Promise<DirectorySettings> {
  await getDirectoryInScope(ctx, scope, id);
  return updateDirectorySettings(ctx, { directoryId: id, settings });
}
