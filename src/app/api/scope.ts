/**
 * Tenancy for the REST API, in one place: what an API key's scope may see. Anything outside it
 * is reported as not_found, exactly like something that does not exist, so an organization-
 * scoped key cannot even learn that another organization's ids are real.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { Directory, Organization } from '../../domain/model.js';
import type { AppContext } from '../context.js';

export const inScope = (scope: ApiScope, organizationId: string | null): boolean =>
  scope.organizationId === null || scope.organizationId === organizationId;

export async function getOrganizationInScope(ctx: AppContext, scope: ApiScope, organizationId: string): Promise<Organization> {
  const org = inScope(scope, organizationId) ? await ctx.store.organizations.findById(organizationId) : undefined;
  if (!org) throw new ServiceError('not_found', `organization ${organizationId} does not exist`);
  return org;
}

export async function getDirectoryInScope(ctx: AppContext, scope: ApiScope, directoryId: string): Promise<Directory> {
  const directory = await ctx.store.directories.findById(directoryId);
  if (!directory || !inScope(scope, directory.organizationId)) throw new ServiceError('not_found', `directory ${directoryId} does not exist`);
  return directory;
}

/**
 * The organization a scoped request acts on: the key's own when none is named; a named one
 * must be visible. A global key acting without one gets `undefined` (every organization).
 */
export async function organizationFor(ctx: AppContext, scope: ApiScope, requested: string | undefined): Promise<string | undefined> {
  if (requested !== undefined) return (await getOrganizationInScope(ctx, scope, requested)).id;
  return scope.organizationId ?? undefined;
}

/** Operations that span organizations (creating one) need a global key. */
export function assertGlobalScope(scope: ApiScope, action: string): void {
  if (scope.organizationId !== null) throw new ServiceError('forbidden', `${action} needs a global API key (created without --org)`);
}
