import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { buildAuthnRequestRedirect, buildAuthnRequestXml } from './authn-request.js';
import { ServiceError } from '../domain/errors.js';
import { parseXmlStrict, NS, attrOf, childElement, textOf } from './xml.js';
import { createTestKeyPair } from '../../test/support/saml-idp.js';

const input = {
  id: '_req_5f1c2a9e0b7d4c3a',
  issueInstant: new Date('2025-03-01T12:00:00.000Z'),
  spEntityId: 'https://app.example.com/saml/dir_1',
  acsUrl: 'https://app.example.com/saml/dir_1/acs?x=1&y=2',
  idpSsoUrl: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2',
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
};

function decode(url: string) {
  const u = new URL(url);
  const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const doc = parseXmlStrict(xml);
  assert.ok(doc.ok);
  return { u, xml, root: doc.value.documentElement };
}

test('the redirect URL carries a deflated, base64, URL-encoded AuthnRequest with our ID, instant and ACS', () => {
  const { u, root } = decode(buildAuthnRequestRedirect({ ...input, relayState: 'rs_01HV3K8Q' }));
  assert.equal(`${u.origin}${u.pathname}`, input.idpSsoUrl);
  assert.equal(root.localName, 'AuthnRequest');
  assert.equal(root.namespaceURI, NS.protocol);
  assert.equal(attrOf(root, 'ID'), input.id);
  assert.equal(attrOf(root, 'Version'), '2.0');
  assert.equal(attrOf(root, 'IssueInstant'), '2025-03-01T12:00:00.000Z');
  assert.equal(attrOf(root, 'Destination'), input.idpSsoUrl);
  assert.equal(attrOf(root, 'AssertionConsumerServiceURL'), input.acsUrl);
  assert.equal(attrOf(root, 'ProtocolBinding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
  assert.equal(textOf(childElement(root, NS.assertion, 'Issuer')!), input.spEntityId);
  assert.equal(attrOf(childElement(root, NS.protocol, 'NameIDPolicy')!, 'Format'), input.nameIdFormat);
  assert.equal(u.searchParams.get('RelayState'), 'rs_01HV3K8Q');
  assert.equal(u.searchParams.get('Signature'), null);
});

test('the same input gives the same URL (no clock, no randomness)', () => {
  assert.equal(buildAuthnRequestRedirect(input), buildAuthnRequestRedirect(input));
});

test('a null nameIdFormat leaves the choice to the IdP', () => {
  const { root } = decode(buildAuthnRequestRedirect({ ...input, nameIdFormat: null }));
  assert.equal(attrOf(childElement(root, NS.protocol, 'NameIDPolicy')!, 'Format'), null);
});

test('signed: SigAlg and Signature cover the exact query string, in the order of bindings §3.4.4.1', () => {
  const key = createTestKeyPair('sp signing');
  const url = buildAuthnRequestRedirect({ ...input, relayState: 'a b&c', sign: { privateKeyPem: key.privateKeyPem, algorithm: 'rsa-sha256' } });
  const query = url.slice(url.indexOf('?') + 1);
  const [signed, signature] = query.split('&Signature=');
  assert.match(signed!, /^SAMLRequest=[^&]+&RelayState=a%20b%26c&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256$/);
  assert.ok(verify('sha256', Buffer.from(signed!), key.certificatePem, Buffer.from(decodeURIComponent(signature!), 'base64')));
});

test('an SSO URL that already has a query keeps it', () => {
  const url = buildAuthnRequestRedirect({ ...input, idpSsoUrl: 'https://idp.example.com/sso?tenant=acme' });
  assert.match(url, /^https:\/\/idp\.example\.com\/sso\?tenant=acme&SAMLRequest=/);
});

test('values are escaped in the XML', () => {
  const xml = buildAuthnRequestXml({ ...input, spEntityId: 'urn:a&b<c>' });
  assert.ok(xml.includes('<saml:Issuer>urn:a&amp;b&lt;c&gt;</saml:Issuer>'));
  assert.ok(parseXmlStrict(xml).ok);
});

test('invalid input is a programming error', () => {
  const cases: { name: string; change: Partial<Parameters<typeof buildAuthnRequestRedirect>[0]> }[] = [
    { name: 'ID starting with a digit (not an xs:ID)', change: { id: '123' } },
    { name: 'ID with a quote', change: { id: '_a"b' } },
    { name: 'RelayState over 80 bytes', change: { relayState: 'x'.repeat(81) } },
    { name: 'SSO URL that is not http(s)', change: { idpSsoUrl: 'javascript:alert(1)' } },
    { name: 'invalid date', change: { issueInstant: new Date(Number.NaN) } },
  ];
  for (const c of cases) assert.throws(() => buildAuthnRequestRedirect({ ...input, ...c.change }), ServiceError, c.name);
});
