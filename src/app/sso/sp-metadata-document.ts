/**
 * Our SAML service provider metadata for one connection (GET /sso/metadata/{connectionId}): what
 * the organization's IT administrator gives their IdP (entity ID, ACS URL, name ID format, and our
 * request-signing certificate when the connection signs its AuthnRequests). Public, as metadata is.
 */
import { ServiceError } from '../../domain/errors.js';
import { buildSpMetadata } from '../../saml/sp-metadata.js';
import type { AppContext } from '../context.js';
import { SSO_NAME_ID_FORMAT, spUrlsOf } from './sign-in-values.js';

export async function serviceProviderMetadata(ctx: AppContext, connectionId: string): Promise<string> {
  const connection = await ctx.store.sso.findConnection(connectionId);
  if (!connection) throw new ServiceError('not_found', `no sign-in connection ${connectionId}`);
  const urls = spUrlsOf(ctx.settings, connection.id);
  return buildSpMetadata({
    entityId: urls.entityId,
    acsUrl: urls.acsUrl,
    nameIdFormat: SSO_NAME_ID_FORMAT,
    // AuthnRequestsSigned="true" is only claimed when we do sign them.
    ...(connection.wantAuthnRequestsSigned ? { signingCertificate: connection.spCertificate } : {}),
    wantAssertionsSigned: true,
  });
}
