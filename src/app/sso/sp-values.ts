/**
 * Our side of an SSO connection as the customer's IT administrator types it into the identity
 * provider (Okta: Applications > Create App Integration > SAML 2.0; Entra: Enterprise applications >
 * Single sign-on > SAML). The URLs are those of the sign-in flow (sign-in-values.ts spUrlsOf), so
 * what the admin is told and what the ACS checks cannot differ.
 */
import type { SsoConnection } from '../../domain/sso.js';
import { certificateToPem } from '../../saml/certificate.js';
import type { AppSettings } from '../context.js';
import { SSO_NAME_ID_FORMAT, spUrlsOf } from './sign-in-values.js';

export interface SsoAttributeStatement {
  /** The attribute name in the assertion. */
  name: string;
  /** Okta's expression for the value. */
  value: string;
}

/** Everything the IdP admin enters, by the names Okta's SAML wizard uses. */
export interface SpValues {
  /** Okta "Single sign-on URL", Entra "Reply URL": the ACS (HTTP-POST). */
  acsUrl: string;
  /** Okta "Audience URI (SP Entity ID)", Entra "Identifier (Entity ID)". */
  spEntityId: string;
  /** Our SP metadata (Entra can import it: "Upload metadata file"). Same as the entity ID. */
  spMetadataUrl: string;
  /** Okta "Name ID format": EmailAddress; "Application username": Email. */
  nameIdFormat: string;
  /** Okta "Attribute Statements". */
  attributeStatements: SsoAttributeStatement[];
  /** Okta "Group Attribute Statements" (optional). */
  optionalGroupAttribute: { name: string; filter: string };
  /** Okta "Default RelayState" (IdP-initiated sign-in): the connection's default redirect URL, if any. */
  defaultRelayState: string | null;
  /** Our request-signing certificate (Okta "Signature Certificate"), for IdPs that want signed AuthnRequests. */
  spCertificatePem: string;
}

export const SSO_ATTRIBUTE_STATEMENTS: readonly SsoAttributeStatement[] = [
  { name: 'email', value: 'user.email' },
  { name: 'firstName', value: 'user.firstName' },
  { name: 'lastName', value: 'user.lastName' },
];

export const SSO_GROUP_ATTRIBUTE = { name: 'groups', filter: 'Matches regex .*' } as const;

export function spValues(ctx: { settings: AppSettings }, connection: SsoConnection): SpValues {
  const urls = spUrlsOf(ctx.settings, connection.id);
  return {
    acsUrl: urls.acsUrl,
    spEntityId: urls.entityId,
    spMetadataUrl: urls.metadataUrl,
    nameIdFormat: SSO_NAME_ID_FORMAT,
    attributeStatements: SSO_ATTRIBUTE_STATEMENTS.map((a) => ({ ...a })),
    optionalGroupAttribute: { ...SSO_GROUP_ATTRIBUTE },
    defaultRelayState: connection.defaultRedirectUrl,
    spCertificatePem: certificateToPem(connection.spCertificate),
  };
}
