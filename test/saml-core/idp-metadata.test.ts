// parseIdpMetadata on metadata shaped like Okta's (/app/<id>/sso/saml/metadata: md: prefix, POST then
// Redirect SSO, two NameIDFormats) and Entra ID's (FederationMetadata.xml: default namespace, a metadata
// Signature, WS-Federation RoleDescriptors before the SAML IDPSSODescriptor, certificates on one line),
// built around real certificates from the test IdP; plus the documents we refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_METADATA_BYTES, parseIdpMetadata } from '../../src/saml/idp-metadata.js';
import { buildSpMetadata } from '../../src/saml/sp-metadata.js';
import { createTestIdp, createTestKeyPair } from '../support/saml-idp.js';

const okta = createTestIdp({ style: 'okta' });
const entra = createTestIdp({ style: 'entra', attackerKey: okta.attackerKey });

function parsed(xml: string, options?: { entityId?: string }) {
  const r = parseIdpMetadata(xml, options);
  if (!r.ok) assert.fail(`expected metadata to parse, got ${JSON.stringify(r.error)}`);
  return r.value;
}

function rejected(xml: string, code: string, detail: RegExp, options?: { entityId?: string }) {
  const r = parseIdpMetadata(xml, options);
  if (r.ok) assert.fail('expected the metadata to be refused');
  assert.equal(r.error.code, code);
  assert.match(r.error.detail, detail);
}

test('Okta app metadata: entity ID, the HTTP-Redirect SSO URL preferred over POST, the signing certificate, NameID formats', () => {
  const m = parsed(okta.metadataXml());
  assert.equal(m.entityId, 'http://www.okta.com/exk1fcia6d6EMsf331d8');
  assert.equal(m.ssoBinding, 'HTTP-Redirect');
  assert.equal(m.ssoUrl, 'https://dev-123456.okta.com/app/dev-123456_scimitar_1/exk1fcia6d6EMsf331d8/sso/saml');
  assert.deepEqual(m.signingCertificates, [okta.key.certificateBase64]);
  assert.equal(m.wantAuthnRequestsSigned, false);
  assert.deepEqual(m.nameIdFormats, [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  ]);
  assert.equal(m.validUntil, null);
});

test('Okta metadata with WantAuthnRequestsSigned="true" says so', () => {
  assert.equal(parsed(okta.metadataXml({ wantAuthnRequestsSigned: true })).wantAuthnRequestsSigned, true);
});

test('the certificate is described for display: fingerprint, subject and expiry', () => {
  const [info] = parsed(okta.metadataXml()).certificates;
  assert.equal(info!.fingerprintSha256, okta.key.fingerprintSha256);
  assert.equal(info!.notAfter, '2034-01-01T00:00:00.000Z');
  assert.equal(info!.notBefore, '2024-01-01T00:00:00.000Z');
  assert.match(info!.subject, /CN=dev-123456/);
});

test('Entra federation metadata: the SAML IDPSSODescriptor is read and its wrapped certificate normalized', () => {
  const m = parsed(entra.metadataXml());
  assert.equal(m.entityId, 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/');
  assert.equal(m.ssoUrl, 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2');
  assert.equal(m.ssoBinding, 'HTTP-Redirect');
  assert.deepEqual(m.signingCertificates, [entra.key.certificateBase64]);
  assert.deepEqual(m.nameIdFormats, []);
  assert.equal(m.wantAuthnRequestsSigned, false);
});

test('Entra federation metadata: certificates of the WS-Federation RoleDescriptor are not taken as SAML signing keys', () => {
  const other = createTestKeyPair('ws-fed only');
  // The first KeyDescriptor is the RoleDescriptor's; give it a certificate of its own.
  const patched = entra.metadataXml().replace(/<X509Certificate>[^<]*<\/X509Certificate>/, `<X509Certificate>${other.certificateBase64}</X509Certificate>`);
  assert.ok(patched.includes(other.certificateBase64));
  assert.deepEqual(parsed(patched).signingCertificates, [entra.key.certificateBase64]);
});

test('Entra metadata during a certificate rollover lists both signing certificates, in order', () => {
  const next = createTestKeyPair('Microsoft Azure Federated SSO Certificate (next)');
  const m = parsed(entra.metadataXml({ extraCertificates: [next.certificateBase64] }));
  assert.deepEqual(m.signingCertificates, [entra.key.certificateBase64, next.certificateBase64]);
  assert.equal(m.certificates.length, 2);
});

test('the same certificate listed twice is kept once', () => {
  const m = parsed(okta.metadataXml({ extraCertificates: [okta.key.certificateBase64] }));
  assert.deepEqual(m.signingCertificates, [okta.key.certificateBase64]);
});

const generic = (body: string, attrs = '') =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml"${attrs}>` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${body}</md:IDPSSODescriptor></md:EntityDescriptor>`;
const key = (cert: string, use?: string) =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const sso = (binding: string, url = 'https://idp.example.com/sso') =>
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${url}"/>`;

test('an IdP with only the HTTP-POST binding gets ssoBinding HTTP-POST', () => {
  const m = parsed(generic(key(okta.key.certificateBase64, 'signing') + sso('HTTP-POST')));
  assert.equal(m.ssoBinding, 'HTTP-POST');
  assert.equal(m.ssoUrl, 'https://idp.example.com/sso');
});

test('a KeyDescriptor without use counts as signing; use="encryption" does not', () => {
  const enc = createTestKeyPair('encryption');
  const m = parsed(generic(key(enc.certificateBase64, 'encryption') + key(okta.key.certificatePem) + sso('HTTP-Redirect')));
  assert.deepEqual(m.signingCertificates, [okta.key.certificateBase64]);
});

test('validUntil is reported', () => {
  const m = parsed(generic(key(okta.key.certificateBase64) + sso('HTTP-Redirect'), ' validUntil="2026-01-01T00:00:00Z"'));
  assert.equal(m.validUntil, '2026-01-01T00:00:00.000Z');
});

test('an EntitiesDescriptor with several IdPs is refused unless one is picked by entityId', () => {
  const entities = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${okta.metadataXml().replace(/^<\?xml[^>]*\?>/, '')}${entra.metadataXml().replace(/^<\?xml[^>]*\?>/, '')}</md:EntitiesDescriptor>`;
  rejected(entities, 'invalid_value', /lists 2 identity providers.*http:\/\/www\.okta\.com\/exk1fcia6d6EMsf331d8, https:\/\/sts\.windows\.net\//);
  assert.equal(parsed(entities, { entityId: entra.entityId }).entityId, entra.entityId);
  assert.deepEqual(parsed(entities, { entityId: okta.entityId }).signingCertificates, [okta.key.certificateBase64]);
  rejected(entities, 'invalid_value', /no identity provider with entityID "https:\/\/nope"/, { entityId: 'https://nope' });
});

test('an EntitiesDescriptor with one IdP and SPs picks the IdP', () => {
  const sp = buildSpMetadata({ entityId: 'https://sp.example.com', acsUrl: 'https://sp.example.com/acs', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', wantAssertionsSigned: true });
  const entities = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${sp.replace(/^<\?xml[^>]*\?>/, '')}${okta.metadataXml().replace(/^<\?xml[^>]*\?>/, '')}</md:EntitiesDescriptor>`;
  assert.equal(parsed(entities).entityId, okta.entityId);
});

test('SP metadata (no IDPSSODescriptor) is refused', () => {
  const sp = buildSpMetadata({ entityId: 'https://sp.example.com', acsUrl: 'https://sp.example.com/acs', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', wantAssertionsSigned: true });
  rejected(sp, 'invalid_value', /no SAML 2.0 identity provider/);
});

test('metadata with a DOCTYPE or entity is refused', () => {
  rejected(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${okta.metadataXml().replace(/^<\?xml[^>]*\?>/, '')}`, 'invalid_syntax', /DTD/);
  rejected(`<?xml version="1.0"?><!-- c --><!doctype md:EntityDescriptor>${okta.metadataXml().replace(/^<\?xml[^>]*\?>/, '')}`, 'invalid_syntax', /DTD/);
});

test('metadata over 1 MiB is refused', () => {
  const big = okta.metadataXml().replace('</md:EntityDescriptor>', `<!--${'x'.repeat(MAX_METADATA_BYTES)}--></md:EntityDescriptor>`);
  rejected(big, 'payload_too_large', /larger than/);
});

test('documents that are not IdP metadata are refused with a reason', () => {
  rejected('not xml at all <', 'invalid_syntax', /does not parse|no root/);
  rejected('<html><body>Sign in</body></html>', 'invalid_value', /not SAML metadata/);
  rejected(generic(key(okta.key.certificateBase64)), 'invalid_value', /no SingleSignOnService/);
  rejected(generic(sso('HTTP-Redirect')), 'invalid_value', /no signing certificate/);
  rejected(generic(key('bm90IGEgY2VydGlmaWNhdGU=') + sso('HTTP-Redirect')), 'invalid_value', /certificate is unreadable/);
  rejected(generic(key(okta.key.certificateBase64) + sso('HTTP-Redirect', 'javascript:alert(1)')), 'invalid_value', /not an http\(s\) URL/);
  rejected(generic(key(okta.key.certificateBase64) + sso('HTTP-Artifact')), 'invalid_value', /HTTP-Redirect or HTTP-POST/);
});
