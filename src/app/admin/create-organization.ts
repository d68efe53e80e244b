/** Creates an organization: the tenant that owns directories (and later SSO connections). */
import { ServiceError } from '../../domain/errors.js';
import type { Organization } from '../../domain/model.js';
import type { AppContext } from '../context.js';

export async function createOrganization(ctx: AppContext, input: { name: string }): Promise<Organization> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new ServiceError('invalid_value', 'name must be 1 to 200 characters');
  const at = ctx.clock.now().toISOString();
  const org: Organization = { id: ctx.ids.next('org'), name, createdAt: at, updatedAt: at };
  await ctx.store.organizations.insert(org);
  return org;
}
