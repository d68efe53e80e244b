/**
 * SAML single sign-on, as Scimitar keeps it: an organization's connections to its identity
 * provider, the profile handed to the host app after a sign-in, and the log of attempts.
 */

/** 'jit': sign-in creates or updates the user. 'scim_only': only active users the directory already has may sign in. */
export type SsoPolicy = 'jit' | 'scim_only';
export const SSO_POLICIES: readonly SsoPolicy[] = ['jit', 'scim_only'];

export type SsoMetadataSource = 'url' | 'xml' | 'fields';

export interface SsoConnection {
  id: string;
  organizationId: string;
  name: string;
  /** Users signing in are matched in, and created in, this directory (shared with SCIM). */
  directoryId: string;
  status: 'active' | 'inactive';
  idpEntityId: string;
  idpSsoUrl: string;
  /** Base64 DER; every one is trusted (rollover). */
  idpCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  metadataSource: SsoMetadataSource;
  metadataUrl: string | null;
  metadataFetchedAt: string | null;
  /** Unsolicited (IdP-initiated) responses are refused unless this is on. */
  allowIdpInitiated: boolean;
  /** Exact URLs of the host app a sign-in may return to. */
  redirectUrls: string[];
  /** Where an IdP-initiated sign-in lands when its RelayState names no registered URL. */
  defaultRedirectUrl: string | null;
  spPrivateKeyPem: string;
  spCertificate: string;
  createdAt: string;
  updatedAt: string;
}

/** What POST /sso/token returns for a code: the signed-in user, as the host app needs it. */
export interface SsoProfile {
  /** Our user id in the directory (usr_…). */
  userId: string;
  directoryId: string;
  organizationId: string;
  connectionId: string;
  /** The IdP's NameID. */
  subject: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  roles: string[];
  /** The assertion's attributes as the IdP sent them. */
  rawAttributes: Record<string, string[]>;
  /** 'created' (just-in-time), 'updated', or 'linked' (an existing user, e.g. from SCIM). */
  provisioning: 'created' | 'updated' | 'linked' | 'unchanged';
}

export type SsoFlow = 'sp_initiated' | 'idp_initiated';

export interface SsoAttempt {
  id: string;
  connectionId: string;
  at: string;
  correlationId: string;
  flow: SsoFlow;
  outcome: 'succeeded' | 'failed';
  /** A SamlFailureCode or a sign-in refusal ('user_deactivated', 'user_not_provisioned', 'replayed', ...). */
  failureCode: string | null;
  detail: string | null;
  want: string | null;
  got: string | null;
  subject: string | null;
  userId: string | null;
  clientIp: string | null;
}
