/**
 * Builds our service provider's SAML 2.0 metadata (saml-metadata-2.0-os §2.4.4) for the admin to give
 * to Okta, Entra or any IdP. Pure string building; the values are escaped, nothing is signed.
 */
import { ServiceError } from '../domain/errors.js';
import { normalizeCertificate } from './certificate.js';
import { NS, escapeXml } from './xml.js';

export interface SpMetadataInput {
  /** Our entity ID for this connection: the Audience the IdP must put in its assertions. */
  entityId: string;
  /** The Assertion Consumer Service URL (HTTP-POST binding). */
  acsUrl: string;
  /** For example `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress`. */
  nameIdFormat: string;
  /** When we sign AuthnRequests: the certificate (PEM or base64) of that key. Sets AuthnRequestsSigned. */
  signingCertificate?: string;
  /** We never accept an assertion that is not signed (on itself or through the Response). */
  wantAssertionsSigned: true;
}

/**
 * @example
 * buildSpMetadata({ entityId: 'https://app.example.com/saml/dir_1', acsUrl: 'https://app.example.com/saml/dir_1/acs',
 *   nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', wantAssertionsSigned: true })
 * // => '<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor …'
 */
export function buildSpMetadata(input: SpMetadataInput): string {
  let keyDescriptor = '';
  if (input.signingCertificate !== undefined) {
    const cert = normalizeCertificate(input.signingCertificate);
    if (!cert.ok) throw new ServiceError('invalid_value', `signingCertificate: ${cert.error.detail}`);
    keyDescriptor =
      `    <md:KeyDescriptor use="signing">\n` +
      `      <ds:KeyInfo xmlns:ds="${NS.dsig}">\n` +
      `        <ds:X509Data>\n          <ds:X509Certificate>${cert.value}</ds:X509Certificate>\n        </ds:X509Data>\n` +
      `      </ds:KeyInfo>\n` +
      `    </md:KeyDescriptor>\n`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${escapeXml(input.entityId)}">\n` +
    `  <md:SPSSODescriptor AuthnRequestsSigned="${input.signingCertificate !== undefined}" ` +
    `WantAssertionsSigned="${input.wantAssertionsSigned}" protocolSupportEnumeration="${NS.protocol}">\n` +
    keyDescriptor +
    `    <md:NameIDFormat>${escapeXml(input.nameIdFormat)}</md:NameIDFormat>\n` +
    `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ` +
    `Location="${escapeXml(input.acsUrl)}" index="0" isDefault="true"/>\n` +
    `  </md:SPSSODescriptor>\n` +
    `</md:EntityDescriptor>\n`
  );
}
