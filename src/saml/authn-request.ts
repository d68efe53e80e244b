/**
 * Builds an SP-initiated AuthnRequest as an HTTP-Redirect URL (SAML bindings §3.4): DEFLATE (raw),
 * base64, URL-encode; optionally signed over the query string (§3.4.4.1). The ID and IssueInstant are
 * arguments, so the caller stores the ID it will later expect as InResponseTo. No clock, no randomness.
 */
import { deflateRawSync } from 'node:zlib';
import { sign as cryptoSign } from 'node:crypto';
import { ServiceError } from '../domain/errors.js';
import { NS, escapeXml } from './xml.js';

const SIG_ALGORITHMS = {
  'rsa-sha256': { uri: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', hash: 'sha256' },
} as const;

export interface AuthnRequestRedirectInput {
  /** The request ID (an xs:ID: a letter or underscore first). Keep it: the response must carry it as InResponseTo. */
  id: string;
  issueInstant: Date;
  spEntityId: string;
  acsUrl: string;
  /** The IdP's SingleSignOnService location for the HTTP-Redirect binding. */
  idpSsoUrl: string;
  /** Opaque, at most 80 bytes (bindings §3.4.3); leave out when not needed. */
  relayState?: string;
  /** Omitted from NameIDPolicy when null, letting the IdP choose. */
  nameIdFormat: string | null;
  sign?: { privateKeyPem: string; algorithm: keyof typeof SIG_ALGORITHMS };
}

/** The AuthnRequest XML, before encoding. Exported for tests and for the admin's "show request" view. */
export function buildAuthnRequestXml(input: Omit<AuthnRequestRedirectInput, 'relayState' | 'sign'>): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(input.id)) {
    throw new ServiceError('invalid_value', 'the AuthnRequest ID must be an xs:ID (letter or underscore first)');
  }
  if (Number.isNaN(input.issueInstant.getTime())) throw new ServiceError('invalid_value', 'issueInstant is not a valid date');
  const policy =
    input.nameIdFormat === null
      ? `<samlp:NameIDPolicy AllowCreate="true"/>`
      : `<samlp:NameIDPolicy Format="${escapeXml(input.nameIdFormat)}" AllowCreate="true"/>`;
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}"` +
    ` ID="${input.id}" Version="2.0" IssueInstant="${input.issueInstant.toISOString()}"` +
    ` Destination="${escapeXml(input.idpSsoUrl)}" AssertionConsumerServiceURL="${escapeXml(input.acsUrl)}"` +
    ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${escapeXml(input.spEntityId)}</saml:Issuer>` +
    policy +
    `</samlp:AuthnRequest>`
  );
}

/**
 * @example
 * const url = buildAuthnRequestRedirect({ id: '_a1b2', issueInstant: clock.now(), spEntityId, acsUrl,
 *   idpSsoUrl: idp.ssoUrl, relayState: 'rs_…', nameIdFormat: null });
 * // 'https://idp.example.com/sso?SAMLRequest=fZJ…&RelayState=rs_…'
 */
export function buildAuthnRequestRedirect(input: AuthnRequestRedirectInput): string {
  let destination: URL;
  try {
    destination = new URL(input.idpSsoUrl);
  } catch {
    throw new ServiceError('invalid_value', 'idpSsoUrl is not a URL');
  }
  if (destination.protocol !== 'https:' && destination.protocol !== 'http:') {
    throw new ServiceError('invalid_value', 'idpSsoUrl must be an http(s) URL');
  }
  if (input.relayState !== undefined && Buffer.byteLength(input.relayState, 'utf8') > 80) {
    throw new ServiceError('invalid_value', 'RelayState must not exceed 80 bytes (SAML bindings §3.4.3)');
  }

  const xml = buildAuthnRequestXml(input);
  // The query is built by hand, in the order §3.4.4.1 fixes, because the signature covers these exact bytes.
  let query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (input.relayState !== undefined) query += `&RelayState=${encodeURIComponent(input.relayState)}`;
  if (input.sign) {
    const alg = SIG_ALGORITHMS[input.sign.algorithm];
    if (!alg) throw new ServiceError('invalid_value', `unsupported signing algorithm ${String(input.sign.algorithm)}`);
    query += `&SigAlg=${encodeURIComponent(alg.uri)}`;
    const signature = cryptoSign(alg.hash, Buffer.from(query, 'utf8'), input.sign.privateKeyPem);
    query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`;
  }
  const base = input.idpSsoUrl.replace(/#.*$/, '');
  const separator = base.endsWith('?') || base.endsWith('&') ? '' : base.includes('?') ? '&' : '?';
  return `${base}${separator}${query}`;
}
