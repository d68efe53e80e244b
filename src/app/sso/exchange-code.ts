/**
 * SAML sign-in, step three (POST /sso/token): the host app's server trades the one-time code for
 * the profile of who signed in. A code works once, for 60 seconds, and only for an API key of its
 * organization (or a global key). Unknown, expired, used and other-organization codes all get the
 * same answer, so a caller learns nothing about codes it may not redeem.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { SsoProfile } from '../../domain/sso.js';
import type { AppContext } from '../context.js';
import { sha256Hex } from '../secrets.js';
import { SSO_CODE_PREFIX } from './sign-in-values.js';

const INVALID_GRANT = 'the code is invalid, expired or already used';

export async function exchangeSignInCode(ctx: AppContext, scope: ApiScope, code: string | undefined): Promise<SsoProfile> {
  if (code === undefined || code.trim() === '') throw new ServiceError('invalid_value', 'code is required');
  // Anything that is not one of our codes is not looked up (and not told apart from one).
  if (!code.startsWith(SSO_CODE_PREFIX) || code.length > 200) throw new ServiceError('invalid_grant', INVALID_GRANT);
  const record = await ctx.store.sso.consumeCode(sha256Hex(code), ctx.clock.now().toISOString());
  if (!record) throw new ServiceError('invalid_grant', INVALID_GRANT);
  // The code is spent even when another organization's key presented it: a code that leaked is dead.
  if (scope.organizationId !== null && scope.organizationId !== record.organizationId) throw new ServiceError('invalid_grant', INVALID_GRANT);
  return record.profile;
}
