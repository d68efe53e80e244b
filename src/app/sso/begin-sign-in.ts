/**
 * SP-initiated sign-in, step one (GET /sso/authorize): find the organization's connection,
 * check that the host app's redirect_uri is registered on it, remember the request for 10
 * minutes, and send the browser to the IdP with an AuthnRequest whose ID is the RelayState.
 * Every refusal is a ServiceError whose detail is shown to the person on a page: nothing here
 * ever redirects to a URL the connection does not list.
 */
import { ServiceError } from '../../domain/errors.js';
import type { SsoConnection } from '../../domain/sso.js';
import { buildAuthnRequestRedirect } from '../../saml/authn-request.js';
import type { AppContext } from '../context.js';
import { SSO_MAX_STATE_BYTES, SSO_NAME_ID_FORMAT, SSO_REQUEST_LIFETIME_MS, newSsoId, spUrlsOf } from './sign-in-values.js';

export interface BeginSignInInput {
  /** An organization id (`org_…`) or one of its email domains (`acme.com`). */
  organization?: string;
  /** A connection id, when the organization has several active ones. */
  connection?: string;
  redirectUri?: string;
  state?: string;
  /** An email address: its domain finds the organization when `organization` is not given. */
  loginHint?: string;
}

export interface BegunSignIn {
  /** The IdP's SSO URL with the AuthnRequest (and its signature when the connection signs requests). */
  location: string;
  requestId: string;
  connectionId: string;
}

const refuse = (detail: string) => new ServiceError('invalid_value', detail);

export async function beginSignIn(ctx: AppContext, input: BeginSignInInput): Promise<BegunSignIn> {
  const organizationId = await findOrganization(ctx, input);
  const connection = await chooseConnection(ctx, organizationId, input.connection);

  const redirectUri = input.redirectUri ?? '';
  if (redirectUri === '') throw refuse('The sign-in link has no redirect_uri: the application must say where to return after sign-in.');
  // Exact match only: no prefix, no normalization. An open redirect starts with "close enough".
  if (!connection.redirectUrls.includes(redirectUri)) {
    throw refuse('The application asked to return to an address that is not registered for this sign-in connection, so the sign-in was stopped. The developer must add the exact redirect URL to the connection.');
  }
  const state = input.state === undefined || input.state === '' ? null : input.state;
  if (state !== null && Buffer.byteLength(state, 'utf8') > SSO_MAX_STATE_BYTES) {
    throw refuse(`The sign-in link's state is longer than ${SSO_MAX_STATE_BYTES} bytes.`);
  }

  const now = ctx.clock.now();
  const requestId = newSsoId('authn', now);
  const urls = spUrlsOf(ctx.settings, connection.id);
  const location = buildAuthnRequestRedirect({
    id: requestId,
    issueInstant: now,
    spEntityId: urls.entityId,
    acsUrl: urls.acsUrl,
    idpSsoUrl: connection.idpSsoUrl,
    relayState: requestId,
    nameIdFormat: SSO_NAME_ID_FORMAT,
    ...(connection.wantAuthnRequestsSigned ? { sign: { privateKeyPem: connection.spPrivateKeyPem, algorithm: 'rsa-sha256' as const } } : {}),
  });
  await ctx.store.sso.insertRequest({
    id: requestId,
    connectionId: connection.id,
    redirectUri,
    state,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SSO_REQUEST_LIFETIME_MS).toISOString(),
    usedAt: null,
  });
  return { location, requestId, connectionId: connection.id };
}

async function findOrganization(ctx: AppContext, input: BeginSignInInput): Promise<string> {
  const given = (input.organization ?? '').trim();
  const hint = (input.loginHint ?? '').trim();
  const value = given !== '' ? given : hint.includes('@') ? hint : '';
  if (value === '') throw refuse('The sign-in link does not say which organization to sign in to (organization=<id or email domain>).');
  if (/^org_[0-9a-z]+$/.test(value)) {
    const org = await ctx.store.organizations.findById(value);
    if (org) return org.id;
  }
  const domain = (value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value).toLowerCase();
  const found = domain === '' ? undefined : await ctx.store.sso.findOrganizationByDomain(domain);
  if (!found) throw refuse('No organization uses single sign-on with that name or email domain. Check the address, or ask your IT administrator.');
  return found;
}

async function chooseConnection(ctx: AppContext, organizationId: string, connectionId: string | undefined): Promise<SsoConnection> {
  if (connectionId !== undefined && connectionId !== '') {
    const connection = await ctx.store.sso.findConnection(connectionId);
    if (!connection || connection.organizationId !== organizationId) throw refuse('That sign-in connection does not exist for this organization.');
    if (connection.status !== 'active') throw refuse('That sign-in connection is switched off. Ask your IT administrator to turn it on.');
    return connection;
  }
  const active = (await ctx.store.sso.listConnections(organizationId)).filter((c) => c.status === 'active');
  if (active.length === 1) return active[0]!;
  if (active.length === 0) throw refuse('Your organization has no active single sign-on connection. Ask your IT administrator to set one up.');
  throw refuse(`Your organization has ${active.length} active single sign-on connections; the sign-in link must name one (connection=<id>).`);
}
