/** Organizations through the REST API: a scoped key sees its own; only a global key creates. */
import type { ApiScope } from '../../domain/api-key.js';
import type { Organization } from '../../domain/model.js';
import { createOrganization } from '../admin/create-organization.js';
import type { AppContext } from '../context.js';
import { assertGlobalScope, getOrganizationInScope } from './scope.js';

export async function listOrganizationsInScope(ctx: AppContext, scope: ApiScope): Promise<Organization[]> {
  if (scope.organizationId === null) return ctx.store.organizations.list();
  const own = await ctx.store.organizations.findById(scope.organizationId);
  return own ? [own] : [];
}

export const getOrganizationForApi = (ctx: AppContext, scope: ApiScope, id: string): Promise<Organization> => getOrganizationInScope(ctx, scope, id);

export async function createOrganizationForApi(ctx: AppContext, scope: ApiScope, input: { name: string }): Promise<Organization> {
  assertGlobalScope(scope, 'creating an organization');
  return createOrganization(ctx, input);
}
