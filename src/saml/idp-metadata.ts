/**
 * Reads an identity provider's SAML 2.0 metadata (Okta's /app/<id>/sso/saml/metadata, Entra's
 * FederationMetadata.xml, any EntityDescriptor) into the few values an SP connection needs.
 * Pure: the XML is passed in, nothing is fetched; the metadata's own signature is not checked (the admin
 * uploads or pastes it, which is the trust decision).
 */
import { problem, type Problem } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';
import { describeCertificate, normalizeCertificate, type CertificateInfo } from './certificate.js';
import { NS, attrOf, childElement, childElements, parseXmlStrict, textOf } from './xml.js';

export { certificateFingerprint, describeCertificate, normalizeCertificate, type CertificateInfo } from './certificate.js';

/** The largest metadata document we read: Entra's federation metadata is about 20 KiB. */
export const MAX_METADATA_BYTES = 1024 * 1024;

const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export type SsoBinding = 'HTTP-Redirect' | 'HTTP-POST';

export interface IdpMetadata {
  entityId: string;
  /** Where AuthnRequests go: the HTTP-Redirect endpoint when the IdP has one, else HTTP-POST. */
  ssoUrl: string;
  ssoBinding: SsoBinding;
  /** Canonical base64 DER of every KeyDescriptor with use="signing" or no use, deduplicated, in order. */
  signingCertificates: string[];
  /** The same certificates, described for display (subject, fingerprint, expiry). */
  certificates: CertificateInfo[];
  wantAuthnRequestsSigned: boolean;
  nameIdFormats: string[];
  /** The metadata's validUntil, when it has one (ISO-8601). */
  validUntil: string | null;
}

export interface ParseIdpMetadataOptions {
  /** Picks one IdP out of an EntitiesDescriptor that lists several. */
  entityId?: string;
}

/**
 * @example
 * const parsed = parseIdpMetadata(xmlFromOkta);
 * if (parsed.ok) connection.idpEntityId = parsed.value.entityId; // 'http://www.okta.com/exk…'
 */
export function parseIdpMetadata(xml: string, options: ParseIdpMetadataOptions = {}): Result<IdpMetadata, Problem> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) {
    return err(problem('payload_too_large', `the metadata is larger than ${MAX_METADATA_BYTES} bytes`));
  }
  const parsed = parseXmlStrict(xml.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const detail = parsed.error.kind === 'dtd' ? 'the metadata contains a DTD, which is not allowed' : parsed.error.detail;
    return err(problem('invalid_syntax', detail));
  }
  const root = parsed.value.documentElement;
  if (root.namespaceURI !== NS.metadata || (root.localName !== 'EntityDescriptor' && root.localName !== 'EntitiesDescriptor')) {
    return err(problem('invalid_value', 'this is not SAML metadata: the root must be an md:EntityDescriptor or md:EntitiesDescriptor'));
  }

  const idps = collectEntityDescriptors(root).filter((e) => findIdpDescriptor(e) !== undefined);
  let entity: Element | undefined;
  if (options.entityId !== undefined) {
    entity = idps.find((e) => attrOf(e, 'entityID') === options.entityId);
    if (!entity) return err(problem('invalid_value', `the metadata has no identity provider with entityID "${options.entityId}"`));
  } else if (idps.length === 1) {
    entity = idps[0];
  } else if (idps.length === 0) {
    return err(problem('invalid_value', 'the metadata describes no SAML 2.0 identity provider (no IDPSSODescriptor)'));
  } else {
    const ids = idps.map((e) => attrOf(e, 'entityID') ?? '(none)').join(', ');
    return err(problem('invalid_value', `the metadata lists ${idps.length} identity providers; choose one by entityID: ${ids}`));
  }

  const entityId = attrOf(entity!, 'entityID')?.trim();
  if (!entityId) return err(problem('invalid_value', 'the EntityDescriptor has no entityID'));
  const idp = findIdpDescriptor(entity!)!;

  const services = childElements(idp, NS.metadata, 'SingleSignOnService');
  const redirect = services.find((s) => attrOf(s, 'Binding') === BINDING_REDIRECT);
  const post = services.find((s) => attrOf(s, 'Binding') === BINDING_POST);
  const chosen = redirect ?? post;
  if (!chosen) {
    return err(problem('invalid_value', 'the identity provider has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding'));
  }
  const ssoUrl = (attrOf(chosen, 'Location') ?? '').trim();
  if (!isHttpUrl(ssoUrl)) return err(problem('invalid_value', `the SingleSignOnService Location is not an http(s) URL: "${ssoUrl}"`));

  const signingCertificates: string[] = [];
  const certificates: CertificateInfo[] = [];
  for (const kd of childElements(idp, NS.metadata, 'KeyDescriptor')) {
    const use = attrOf(kd, 'use');
    if (use !== null && use !== 'signing') continue;
    const keyInfo = childElement(kd, NS.dsig, 'KeyInfo');
    for (const data of keyInfo ? childElements(keyInfo, NS.dsig, 'X509Data') : []) {
      for (const certEl of childElements(data, NS.dsig, 'X509Certificate')) {
        const normalized = normalizeCertificate(textOf(certEl));
        if (!normalized.ok) return err(problem('invalid_value', `a signing certificate is unreadable: ${normalized.error.detail}`));
        if (signingCertificates.includes(normalized.value)) continue;
        const info = describeCertificate(normalized.value);
        if (!info.ok) return info;
        signingCertificates.push(normalized.value);
        certificates.push(info.value);
      }
    }
  }
  if (signingCertificates.length === 0) {
    return err(problem('invalid_value', 'the identity provider publishes no signing certificate (KeyDescriptor use="signing")'));
  }

  const want = attrOf(idp, 'WantAuthnRequestsSigned');
  const nameIdFormats = childElements(idp, NS.metadata, 'NameIDFormat')
    .map((e) => textOf(e).trim())
    .filter((f, i, all) => f.length > 0 && all.indexOf(f) === i);
  const validUntilRaw = attrOf(entity!, 'validUntil') ?? (entity !== root ? attrOf(root, 'validUntil') : null);
  const validUntilMs = validUntilRaw === null ? Number.NaN : Date.parse(validUntilRaw);

  return ok({
    entityId,
    ssoUrl,
    ssoBinding: chosen === redirect ? 'HTTP-Redirect' : 'HTTP-POST',
    signingCertificates,
    certificates,
    wantAuthnRequestsSigned: want === 'true' || want === '1',
    nameIdFormats,
    validUntil: Number.isNaN(validUntilMs) ? null : new Date(validUntilMs).toISOString(),
  });
}

function collectEntityDescriptors(root: Element): Element[] {
  if (root.localName === 'EntityDescriptor') return [root];
  const out: Element[] = [];
  for (const child of childElements(root, NS.metadata)) {
    if (child.localName === 'EntityDescriptor') out.push(child);
    else if (child.localName === 'EntitiesDescriptor') out.push(...collectEntityDescriptors(child));
  }
  return out;
}

/** The IDPSSODescriptor that speaks SAML 2.0 (Entra's metadata also carries WS-Federation RoleDescriptors). */
const findIdpDescriptor = (entity: Element): Element | undefined =>
  childElements(entity, NS.metadata, 'IDPSSODescriptor').find((d) =>
    (attrOf(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
