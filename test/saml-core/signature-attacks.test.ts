// Every known way to make a SAML service provider accept an identity the IdP did not sign: other keys,
// tampering, XML signature wrapping (XSW1–XSW8 as SAML Raider names them, after Somorovsky et al.,
// "On Breaking SAML", USENIX Security 2012), ID collisions, comment injection in NameID
// (CVE-2017-11427 family), DTD and entity payloads, weak algorithms, oversized posts.
// Each attack starts from a response the test IdP legitimately signed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSamlResponse, type SamlValidationResult, type ValidateSamlResponseInput } from '../../src/saml/validate-response.js';
import type { SamlFailureCode } from '../../src/saml/failure.js';
import {
  SAML_TEST_NOW as NOW,
  SAML_TEST_REQUEST_ID as REQUEST_ID,
  SAML_TEST_SP as SP,
  attacks,
  createTestIdp,
  samlResponseOptions as options,
  toBase64,
  type TestIdp,
} from '../support/saml-idp.js';

const okta = createTestIdp({ style: 'okta' });
const entra = createTestIdp({ style: 'entra', attackerKey: okta.attackerKey });
const EVIL = 'admin@example.com';

function validate(idp: TestIdp, xml: string, o: Partial<Omit<ValidateSamlResponseInput, 'expected'>> = {}): Promise<SamlValidationResult> {
  return validateSamlResponse({
    samlResponseBase64: toBase64(xml),
    now: NOW,
    idpCertificates: [idp.key.certificatePem],
    ...o,
    expected: { spEntityId: SP.entityId, acsUrl: SP.acsUrl, idpEntityId: idp.entityId, inResponseTo: REQUEST_ID, allowUnsolicited: false },
  });
}

function refused(result: SamlValidationResult, code: SamlFailureCode) {
  if (result.ok) assert.fail(`expected ${code}, but the response was accepted for ${result.assertion.nameId}`);
  assert.equal(result.failure.code, code, JSON.stringify(result.failure));
  return result.failure;
}

const assertionSigned = (idp: TestIdp) => idp.responseXml(options({ signAssertion: true, signResponse: false }));
const responseSigned = (idp: TestIdp) => idp.responseXml(options({ signAssertion: false, signResponse: true }));

test('the legitimately signed responses the attacks start from are accepted', async () => {
  for (const idp of [okta, entra]) {
    for (const xml of [assertionSigned(idp), responseSigned(idp)]) {
      const r = await validate(idp, xml);
      assert.ok(r.ok && r.assertion.nameId === 'ada@example.com', JSON.stringify(r));
    }
  }
});

// --- Keys and certificates ------------------------------------------------------------------------

test('a response signed by another key is refused: certificate_untrusted', async () => {
  const xml = okta.responseXml(options({ key: 'attacker' }));
  const f = refused(await validate(okta, xml), 'certificate_untrusted');
  assert.equal(f.got, `sha256:${okta.attackerKey.fingerprintSha256}`);
  assert.equal(f.want, `sha256:${okta.key.fingerprintSha256}`);
});

test('a Response signed by another key is refused: certificate_untrusted', async () => {
  refused(await validate(entra, entra.responseXml(options({ key: 'attacker', signResponse: true, signAssertion: false }))), 'certificate_untrusted');
});

test('a response signed by another key without KeyInfo is refused: signature_invalid', async () => {
  refused(await validate(okta, okta.responseXml(options({ key: 'attacker', includeKeyInfo: false }))), 'signature_invalid');
});

test('another key’s signature with the IdP’s certificate pasted into KeyInfo is refused: signature_invalid', async () => {
  const xml = attacks.tamper(okta.responseXml(options({ key: 'attacker' })), okta.attackerKey.certificateBase64, okta.key.certificateBase64);
  refused(await validate(okta, xml), 'signature_invalid');
});

test('a valid Response signature does not excuse an assertion signed by another key: certificate_untrusted', async () => {
  // The attacker signs the assertion, then the IdP-signed envelope is rebuilt around it: both are present, one is bad.
  const evil = okta.responseXml(options({ key: 'attacker', nameId: EVIL, signAssertion: true, signResponse: false }));
  const evilAssertion = /<saml2:Assertion [\s\S]*<\/saml2:Assertion>/.exec(evil)![0];
  const idpSigned = okta.responseXml(options({ signAssertion: true, signResponse: true }));
  const xml = idpSigned.replace(/<saml2:Assertion [\s\S]*<\/saml2:Assertion>/, evilAssertion);
  const f = refused(await validate(okta, xml), 'certificate_untrusted');
  assert.equal(f.got, `sha256:${okta.attackerKey.fingerprintSha256}`);
});

test('an unsigned response is refused: signature_missing', async () => {
  refused(await validate(okta, attacks.stripSignatures(assertionSigned(okta))), 'signature_missing');
  refused(await validate(entra, attacks.stripSignatures(responseSigned(entra))), 'signature_missing');
});

// --- Tampering after signing ----------------------------------------------------------------------

test('NameID changed after the IdP signed the assertion is refused: signature_invalid', async () => {
  const xml = attacks.tamper(assertionSigned(okta), '>ada@example.com<', `>${EVIL}<`);
  refused(await validate(okta, xml), 'signature_invalid');
});

test('NameID changed after the IdP signed the Response is refused: signature_invalid', async () => {
  const xml = attacks.tamper(responseSigned(entra), '>ada@example.com<', `>${EVIL}<`);
  refused(await validate(entra, xml), 'signature_invalid');
});

test('an attribute added after signing is refused: signature_invalid', async () => {
  const xml = attacks.tamper(
    assertionSigned(entra),
    '</Conditions>',
    '</Conditions><AttributeStatement><Attribute Name="groups"><AttributeValue>Admins</AttributeValue></Attribute></AttributeStatement>',
  );
  refused(await validate(entra, xml), 'signature_invalid');
});

test('the signature value itself altered is refused: signature_invalid', async () => {
  const xml = assertionSigned(okta).replace(/<ds:SignatureValue>([A-Za-z0-9+/]{8})/, '<ds:SignatureValue>AAAAAAAA');
  refused(await validate(okta, xml), 'signature_invalid');
});

// --- XML signature wrapping -----------------------------------------------------------------------

test('XSW1: an evil Response wrapping the signed Response inside its Signature is refused', async () => {
  refused(await validate(okta, attacks.xsw1(responseSigned(okta), EVIL)), 'multiple_assertions');
});

test('XSW2: an evil Response with the signed Response placed before a detached Signature is refused', async () => {
  refused(await validate(entra, attacks.xsw2(responseSigned(entra), EVIL)), 'multiple_assertions');
});

test('XSW3: a second unsigned assertion placed before the signed one is refused', async () => {
  refused(await validate(okta, attacks.xsw3(assertionSigned(okta), EVIL)), 'multiple_assertions');
});

test('XSW4: the signed assertion nested inside an unsigned evil assertion is refused', async () => {
  refused(await validate(okta, attacks.xsw4(assertionSigned(okta), EVIL)), 'multiple_assertions');
});

test('XSW5: an evil copy carrying the original Signature, original appended at the end, is refused', async () => {
  refused(await validate(entra, attacks.xsw5(assertionSigned(entra), EVIL)), 'multiple_assertions');
});

test('XSW6: the original assertion hidden inside the evil copy’s Signature is refused', async () => {
  refused(await validate(okta, attacks.xsw6(assertionSigned(okta), EVIL)), 'multiple_assertions');
});

test('XSW7: the signed assertion moved into Extensions behind an unsigned evil one is refused', async () => {
  refused(await validate(okta, attacks.xsw7(assertionSigned(okta), EVIL)), 'multiple_assertions');
});

test('XSW8: the original assertion hidden in a ds:Object of the evil copy’s Signature is refused', async () => {
  refused(await validate(entra, attacks.xsw8(assertionSigned(entra), EVIL)), 'multiple_assertions');
});

test('XSW: the signed assertion moved into Extensions with nothing in its place is refused: malformed', async () => {
  const f = refused(await validate(okta, attacks.assertionOnlyInExtensions(assertionSigned(okta))), 'malformed');
  assert.match(f.got!, /Assertion inside Extensions/);
});

test('ID collision: another element carrying the signed assertion’s ID is refused: signature_invalid', async () => {
  const f = refused(await validate(okta, attacks.duplicateId(assertionSigned(okta))), 'signature_invalid');
  assert.match(f.got!, /two elements carry the ID/);
});

test('a signature that references another element (the Response’s, moved into the assertion) is refused: signature_invalid', async () => {
  const f = refused(await validate(okta, attacks.signatureOnOtherElement(responseSigned(okta))), 'signature_invalid');
  assert.match(f.got!, /Reference URI/);
});

test('a signature with a second Reference is refused: signature_invalid', async () => {
  const xml = assertionSigned(okta).replace(/(<ds:Reference [\s\S]*?<\/ds:Reference>)/, '$1$1');
  const f = refused(await validate(okta, xml), 'signature_invalid');
  assert.match(f.got!, /2 Reference elements/);
});

test('a signature with an XSLT transform is refused: signature_invalid', async () => {
  const xml = assertionSigned(okta).replace(
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
    '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>',
  );
  refused(await validate(okta, xml), 'signature_invalid');
});

// --- Comment injection ----------------------------------------------------------------------------

test('comment-injected NameID (user@example.com<!---->.evil.com) yields the full signed text, not a truncated one', async () => {
  // The attacker owns user@example.com.evil.com at the IdP and inserts a comment after signing: exclusive
  // c14n drops comments, so the signature still verifies; a parser reading the first text node would see user@example.com.
  const signed = okta.responseXml(options({ nameId: 'user@example.com.evil.com' }));
  const xml = attacks.injectComment(signed, 'user@example.com.evil.com', 'user@example.com'.length);
  assert.ok(xml.includes('user@example.com<!---->.evil.com'));
  const r = await validate(okta, xml);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.assertion.nameId, 'user@example.com.evil.com');
});

test('comment-injected NameID in a Response-signed (Entra-style) response also yields the full text', async () => {
  const signed = entra.responseXml(options({ nameId: 'user@example.com.evil.com', signResponse: true, signAssertion: false }));
  const r = await validate(entra, attacks.injectComment(signed, 'user@example.com.evil.com', 'user@example.com'.length));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.assertion.nameId, 'user@example.com.evil.com');
});

test('comment-injected attribute value yields the full value', async () => {
  const signed = okta.responseXml(options({ attributes: { email: ['user@example.com.evil.com'] } }));
  const r = await validate(okta, attacks.injectComment(signed, 'user@example.com.evil.com', 'user@example.com'.length));
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.assertion.attributes.email, ['user@example.com.evil.com']);
});

// --- DTDs, entities, size -------------------------------------------------------------------------

test('an external entity (XXE) payload is refused before parsing: dtd_forbidden', async () => {
  refused(await validate(okta, attacks.withDoctype(assertionSigned(okta), 'xxe')), 'dtd_forbidden');
});

test('an entity expansion (billion laughs) payload is refused before parsing: dtd_forbidden', async () => {
  refused(await validate(okta, attacks.withDoctype(assertionSigned(okta), 'billion-laughs')), 'dtd_forbidden');
});

test('a DOCTYPE after a leading comment is refused: dtd_forbidden', async () => {
  refused(await validate(entra, attacks.withDoctype(responseSigned(entra), 'after-comment')), 'dtd_forbidden');
});

test('an oversized response is refused before decoding: response_too_large', async () => {
  refused(await validate(okta, attacks.oversized(assertionSigned(okta), 256 * 1024)), 'response_too_large');
});

// --- Algorithms -----------------------------------------------------------------------------------

test('an RSA-SHA1 signature is refused unless allowSha1: weak_algorithm', async () => {
  const xml = okta.responseXml(options({ algorithm: 'sha1' }));
  refused(await validate(okta, xml), 'weak_algorithm');
  assert.ok((await validate(okta, xml, { allowSha1: true })).ok);
});

test('a SHA-1 digest under an RSA-SHA256 signature method is refused: weak_algorithm', async () => {
  const xml = assertionSigned(okta).replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2000/09/xmldsig#sha1');
  const f = refused(await validate(okta, xml), 'weak_algorithm');
  assert.equal(f.got, 'DigestMethod http://www.w3.org/2000/09/xmldsig#sha1');
});

test('an HMAC signature method (key confusion with the public certificate) is refused: weak_algorithm', async () => {
  const xml = assertionSigned(okta).replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
  refused(await validate(okta, xml, { allowSha1: true }), 'weak_algorithm');
});
