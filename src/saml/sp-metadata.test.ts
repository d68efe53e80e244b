import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpMetadata } from './sp-metadata.js';
import { NS, attrOf, childElement, childElements, parseXmlStrict, textOf } from './xml.js';
import { createTestKeyPair } from '../../test/support/saml-idp.js';

const base = {
  entityId: 'https://app.example.com/saml/dir_1?tenant=a&b',
  acsUrl: 'https://app.example.com/saml/dir_1/acs',
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  wantAssertionsSigned: true as const,
};

function sp(xml: string) {
  const doc = parseXmlStrict(xml);
  assert.ok(doc.ok);
  const root = doc.value.documentElement;
  assert.equal(root.namespaceURI, NS.metadata);
  assert.equal(root.localName, 'EntityDescriptor');
  return { root, descriptor: childElement(root, NS.metadata, 'SPSSODescriptor')! };
}

test('SP metadata names our entity ID, the POST ACS, the NameID format and asks for signed assertions', () => {
  const { root, descriptor } = sp(buildSpMetadata(base));
  assert.equal(attrOf(root, 'entityID'), base.entityId);
  assert.equal(attrOf(descriptor, 'protocolSupportEnumeration'), NS.protocol);
  assert.equal(attrOf(descriptor, 'WantAssertionsSigned'), 'true');
  assert.equal(attrOf(descriptor, 'AuthnRequestsSigned'), 'false');
  assert.equal(textOf(childElement(descriptor, NS.metadata, 'NameIDFormat')!), base.nameIdFormat);
  const acs = childElement(descriptor, NS.metadata, 'AssertionConsumerService')!;
  assert.equal(attrOf(acs, 'Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
  assert.equal(attrOf(acs, 'Location'), base.acsUrl);
  assert.equal(childElements(descriptor, NS.metadata, 'KeyDescriptor').length, 0);
});

test('with a signing certificate, SP metadata publishes it and says AuthnRequests are signed', () => {
  const key = createTestKeyPair('sp');
  const { descriptor } = sp(buildSpMetadata({ ...base, signingCertificate: key.certificatePem }));
  assert.equal(attrOf(descriptor, 'AuthnRequestsSigned'), 'true');
  const kd = childElement(descriptor, NS.metadata, 'KeyDescriptor')!;
  assert.equal(attrOf(kd, 'use'), 'signing');
  const cert = childElement(childElement(childElement(kd, NS.dsig, 'KeyInfo')!, NS.dsig, 'X509Data')!, NS.dsig, 'X509Certificate')!;
  assert.equal(textOf(cert), key.certificateBase64);
});

test('an unreadable signing certificate is a programming error', () => {
  assert.throws(() => buildSpMetadata({ ...base, signingCertificate: 'nope' }), /signingCertificate/);
});
