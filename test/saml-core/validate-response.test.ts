// validateSamlResponse against responses shaped like Okta's and Entra ID's, signed by a test IdP with its
// own key (test/support/saml-idp.ts): what real IdPs send is accepted, and each protocol check refuses
// with its own code. Signature attacks are in signature-attacks.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSamlResponse, type SamlValidationResult, type ValidateSamlResponseInput } from '../../src/saml/validate-response.js';
import type { SamlFailureCode } from '../../src/saml/failure.js';
import { profileFromAssertion } from '../../src/saml/profile.js';
import {
  SAML_TEST_NOW as NOW,
  SAML_TEST_REQUEST_ID as REQUEST_ID,
  SAML_TEST_SP as SP,
  createTestIdp,
  createTestKeyPair,
  samlResponseOptions as options,
  toBase64,
  type TestIdp,
} from '../support/saml-idp.js';

const okta = createTestIdp({ style: 'okta' });
const entra = createTestIdp({ style: 'entra', attackerKey: okta.attackerKey });
const MINUTE = 60_000;

type Overrides = Partial<Omit<ValidateSamlResponseInput, 'expected'>> & { expected?: Partial<ValidateSamlResponseInput['expected']> };

function validate(idp: TestIdp, samlResponseBase64: string, o: Overrides = {}): Promise<SamlValidationResult> {
  const { expected, ...rest } = o;
  return validateSamlResponse({
    samlResponseBase64,
    now: NOW,
    idpCertificates: [idp.key.certificatePem],
    ...rest,
    expected: {
      spEntityId: SP.entityId,
      acsUrl: SP.acsUrl,
      idpEntityId: idp.entityId,
      inResponseTo: REQUEST_ID,
      allowUnsolicited: false,
      ...expected,
    },
  });
}

function accepted(result: SamlValidationResult) {
  if (!result.ok) assert.fail(`expected acceptance, got ${JSON.stringify(result.failure)}`);
  return result.assertion;
}

function refused(result: SamlValidationResult, code: SamlFailureCode) {
  if (result.ok) assert.fail(`expected ${code}, but the response was accepted`);
  assert.equal(result.failure.code, code, JSON.stringify(result.failure));
  assert.ok(result.failure.detail.length > 0);
  return result.failure;
}

// --- What real IdPs send ------------------------------------------------------------------------

test('Okta-style response with signed assertion only is accepted', async () => {
  const b64 = okta.response(
    options({
      signAssertion: true,
      signResponse: false,
      sessionIndex: 'id1740830400000.123',
      attributes: { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['Engineering', 'Everyone'] },
    }),
  );
  const a = accepted(await validate(okta, b64));
  assert.equal(a.nameId, 'ada@example.com');
  assert.equal(a.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
  assert.equal(a.issuer, okta.entityId);
  assert.equal(a.inResponseTo, REQUEST_ID);
  assert.equal(a.sessionIndex, 'id1740830400000.123');
  assert.match(a.id, /^id\d+$/);
  assert.equal(a.notOnOrAfter, '2025-03-01T12:05:00.000Z');
  assert.deepEqual(a.attributes, { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['Engineering', 'Everyone'] });
});

test('Entra-style response signed on the Response only is accepted', async () => {
  const b64 = entra.response(options({ signAssertion: false, signResponse: true }));
  const a = accepted(await validate(entra, b64));
  assert.equal(a.nameId, 'ada@example.com');
  assert.equal(a.issuer, entra.entityId);
  assert.equal(a.inResponseTo, REQUEST_ID);
});

test('Entra-style response with the assertion signed (Entra default) is accepted, with its claim URIs mapped to a profile', async () => {
  const claims = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
  const b64 = entra.response(
    options({
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      nameId: 'n3VY8LpqT0-Hq2dTgX1xWmO8rZ5C6b4',
      attributes: {
        'http://schemas.microsoft.com/identity/claims/tenantid': ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
        'http://schemas.microsoft.com/identity/claims/objectidentifier': ['d1f0c3a2-5b6e-4f7a-8c9d-0e1f2a3b4c5d'],
        'http://schemas.microsoft.com/identity/claims/displayname': ['Ada Lovelace'],
        [`${claims}givenname`]: ['Ada'],
        [`${claims}surname`]: ['Lovelace'],
        [`${claims}emailaddress`]: ['ada@contoso.com'],
        [`${claims}name`]: ['ada@contoso.onmicrosoft.com'],
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['0e1f2a3b-aaaa-4c5d-8e9f-000000000001', '0e1f2a3b-aaaa-4c5d-8e9f-000000000002'],
      },
    }),
  );
  const a = accepted(await validate(entra, b64));
  assert.equal(a.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  const profile = profileFromAssertion(a);
  assert.equal(profile.subject, 'n3VY8LpqT0-Hq2dTgX1xWmO8rZ5C6b4');
  assert.equal(profile.email, 'ada@contoso.com');
  assert.equal(profile.firstName, 'Ada');
  assert.equal(profile.lastName, 'Lovelace');
  assert.equal(profile.displayName, 'Ada Lovelace');
  assert.deepEqual(profile.groups, ['0e1f2a3b-aaaa-4c5d-8e9f-000000000001', '0e1f2a3b-aaaa-4c5d-8e9f-000000000002']);
});

test('a response with both the Response and the assertion signed is accepted', async () => {
  accepted(await validate(okta, okta.response(options({ signAssertion: true, signResponse: true }))));
  accepted(await validate(entra, entra.response(options({ signAssertion: true, signResponse: true }))));
});

test('two configured certificates: a response signed with the second (rollover) is accepted', async () => {
  const retiring = createTestKeyPair('retiring IdP key');
  const b64 = okta.response(options());
  accepted(await validate(okta, b64, { idpCertificates: [retiring.certificatePem, okta.key.certificatePem] }));
});

test('two configured certificates: a response still signed with the first is accepted', async () => {
  const next = createTestKeyPair('next IdP key');
  accepted(await validate(okta, okta.response(options()), { idpCertificates: [okta.key.certificatePem, next.certificatePem] }));
});

test('configured certificates may be PEM or bare base64 as copied from metadata', async () => {
  const b64 = okta.response(options());
  accepted(await validate(okta, b64, { idpCertificates: [okta.key.certificateBase64] }));
  const wrapped = okta.key.certificateBase64.match(/.{1,76}/g)!.join('\r\n');
  accepted(await validate(okta, b64, { idpCertificates: [wrapped] }));
});

test('the posted value may contain line breaks, as some IdPs wrap base64 at 76 columns', async () => {
  const b64 = okta.response(options()).match(/.{1,76}/g)!.join('\r\n');
  accepted(await validate(okta, b64));
});

test('no usable configured certificate is refused: certificate_untrusted', async () => {
  const f = refused(await validate(okta, okta.response(options()), { idpCertificates: ['not a certificate'] }), 'certificate_untrusted');
  assert.match(f.got!, /none readable/);
});

// --- InResponseTo and unsolicited responses ------------------------------------------------------

test('IdP-initiated response is refused by default: unsolicited_not_allowed', async () => {
  const b64 = okta.response(options({ inResponseTo: null }));
  refused(await validate(okta, b64, { expected: { inResponseTo: null } }), 'unsolicited_not_allowed');
});

test('IdP-initiated response is accepted when the connection allows unsolicited sign-in', async () => {
  const b64 = okta.response(options({ inResponseTo: null }));
  const a = accepted(await validate(okta, b64, { expected: { inResponseTo: null, allowUnsolicited: true } }));
  assert.equal(a.inResponseTo, null);
});

test('IdP-initiated response while a request is pending is accepted only when unsolicited sign-in is allowed', async () => {
  const b64 = okta.response(options({ inResponseTo: null }));
  refused(await validate(okta, b64), 'unsolicited_not_allowed');
  assert.equal(accepted(await validate(okta, b64, { expected: { allowUnsolicited: true } })).inResponseTo, null);
});

test('a response to another request is refused: in_response_to_mismatch', async () => {
  const f = refused(await validate(okta, okta.response(options({ inResponseTo: '_another_request' }))), 'in_response_to_mismatch');
  assert.equal(f.want, REQUEST_ID);
  assert.equal(f.got, '_another_request');
});

test('a solicited response when no request is pending (another browser’s) is refused: in_response_to_mismatch', async () => {
  const b64 = okta.response(options());
  refused(await validate(okta, b64, { expected: { inResponseTo: null, allowUnsolicited: true } }), 'in_response_to_mismatch');
});

test('InResponseTo only on the unsigned Response, not in the signed assertion, is refused: in_response_to_mismatch', async () => {
  // An attacker wraps an IdP-initiated signed assertion in a Response that claims to answer the victim's request.
  const b64 = okta.response(options({ subjectInResponseTo: null, responseInResponseTo: REQUEST_ID }));
  refused(await validate(okta, b64), 'in_response_to_mismatch');
});

test('InResponseTo only on a signed Response is accepted', async () => {
  const b64 = entra.response(options({ signResponse: true, signAssertion: false, subjectInResponseTo: null, responseInResponseTo: REQUEST_ID }));
  assert.equal(accepted(await validate(entra, b64)).inResponseTo, REQUEST_ID);
});

test('Response and assertion naming different requests is refused: in_response_to_mismatch', async () => {
  const b64 = okta.response(options({ subjectInResponseTo: REQUEST_ID, responseInResponseTo: '_other' }));
  refused(await validate(okta, b64), 'in_response_to_mismatch');
});

// --- Status ----------------------------------------------------------------------------------------

test('IdP error status Requester/RequestDenied is reported with its message: status_not_success', async () => {
  const b64 = okta.response(
    options({
      status: {
        code: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
        subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
        message: 'User is not assigned to this application',
      },
    }),
  );
  const f = refused(await validate(okta, b64), 'status_not_success');
  assert.match(f.detail, /Requester\/RequestDenied/);
  assert.match(f.got!, /User is not assigned to this application/);
  assert.doesNotMatch(f.detail, /not assigned/, 'the IdP-supplied message is for the admin log, not echoed to the user');
  assert.equal(f.want, 'urn:oasis:names:tc:SAML:2.0:status:Success');
});

test('Entra error status Responder without a message, unsigned, is reported: status_not_success', async () => {
  const b64 = entra.response(options({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder' } }));
  const f = refused(await validate(entra, b64), 'status_not_success');
  assert.match(f.detail, /Responder/);
});

// --- Time -----------------------------------------------------------------------------------------

test('a response whose Conditions expired is refused: expired', async () => {
  const b64 = okta.response(options({ notOnOrAfter: new Date(NOW.getTime() - 10 * MINUTE) }));
  const f = refused(await validate(okta, b64), 'expired');
  assert.match(f.got!, /NotOnOrAfter 2025-03-01T11:50:00.000Z/);
});

test('a response expired by less than the clock skew is accepted; by more, refused', async () => {
  const b64 = okta.response(options({ notOnOrAfter: new Date(NOW.getTime() - 2 * MINUTE), subjectNotOnOrAfter: new Date(NOW.getTime() - 2 * MINUTE) }));
  accepted(await validate(okta, b64));
  refused(await validate(okta, b64, { clockSkewMs: MINUTE }), 'expired');
});

test('a response posted after its SubjectConfirmationData NotOnOrAfter is refused: expired', async () => {
  const b64 = entra.response(options());
  const later = new Date(NOW.getTime() + 9 * MINUTE); // Conditions still valid (1 h), bearer window (5 min) + skew over
  refused(await validate(entra, b64, { now: later }), 'expired');
});

test('a response from an IdP whose clock runs ahead is refused: not_yet_valid', async () => {
  const b64 = okta.response(options({ now: new Date(NOW.getTime() + 10 * MINUTE) }));
  const f = refused(await validate(okta, b64), 'not_yet_valid');
  assert.match(f.got!, /NotBefore 2025-03-01T12:05:00.000Z/);
});

test('a NotBefore within the clock skew is accepted', async () => {
  const b64 = okta.response(options({ notBefore: new Date(NOW.getTime() + 2 * MINUTE) }));
  accepted(await validate(okta, b64));
  refused(await validate(okta, b64, { clockSkewMs: 0 }), 'not_yet_valid');
});

test('the returned notOnOrAfter is the earlier of the bearer confirmation and the Conditions', async () => {
  const b64 = entra.response(options({ subjectNotOnOrAfter: new Date(NOW.getTime() + 3 * MINUTE) }));
  assert.equal(accepted(await validate(entra, b64)).notOnOrAfter, '2025-03-01T12:03:00.000Z');
  const b64b = okta.response(options({ notOnOrAfter: new Date(NOW.getTime() + 2 * MINUTE), subjectNotOnOrAfter: new Date(NOW.getTime() + 4 * MINUTE) }));
  assert.equal(accepted(await validate(okta, b64b)).notOnOrAfter, '2025-03-01T12:02:00.000Z');
});

// --- Addressing ------------------------------------------------------------------------------------

test('an assertion for another SP (audience) is refused: audience_mismatch', async () => {
  const b64 = okta.response(options({ audience: 'https://other-app.example.com/saml' }));
  const f = refused(await validate(okta, b64), 'audience_mismatch');
  assert.equal(f.want, SP.entityId);
  assert.equal(f.got, 'https://other-app.example.com/saml');
});

test('a bearer confirmation for another ACS URL is refused: recipient_mismatch', async () => {
  const b64 = okta.response(options({ recipient: 'https://other-app.example.com/acs', destination: SP.acsUrl }));
  const f = refused(await validate(okta, b64), 'recipient_mismatch');
  assert.equal(f.got, 'https://other-app.example.com/acs');
});

test('a Response addressed to another Destination is refused: destination_mismatch', async () => {
  const b64 = okta.response(options({ destination: 'https://other-app.example.com/acs' }));
  refused(await validate(okta, b64), 'destination_mismatch');
});

test('a Response without a Destination (optional when unsigned) is accepted', async () => {
  accepted(await validate(okta, okta.response(options({ destination: null }))));
});

test('an assertion issued by another IdP is refused: issuer_mismatch', async () => {
  const b64 = okta.response(options({ issuer: 'http://www.okta.com/exkSOMEONEELSE', responseIssuer: okta.entityId }));
  const f = refused(await validate(okta, b64), 'issuer_mismatch');
  assert.equal(f.want, okta.entityId);
  assert.equal(f.got, 'http://www.okta.com/exkSOMEONEELSE');
});

test('a Response Issuer naming another IdP is refused: issuer_mismatch', async () => {
  const b64 = entra.response(options({ responseIssuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }));
  refused(await validate(entra, b64), 'issuer_mismatch');
});

test('a Response without its own Issuer (optional) is accepted', async () => {
  accepted(await validate(entra, entra.response(options({ responseIssuer: null }))));
});

// --- Shape -----------------------------------------------------------------------------------------

test('an assertion with an empty NameID is refused: subject_missing', async () => {
  refused(await validate(okta, okta.response(options({ nameId: '' }))), 'subject_missing');
});

test('an encrypted assertion is refused: encrypted_assertion_unsupported', async () => {
  const xml = okta.responseXml(options()).replace(
    /<saml2:Assertion [\s\S]*<\/saml2:Assertion>/,
    '<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"/></saml2:EncryptedAssertion>',
  );
  refused(await validate(okta, toBase64(xml)), 'encrypted_assertion_unsupported');
});

test('two validly signed assertions in one Response are refused: multiple_assertions', async () => {
  const first = okta.responseXml(options());
  const second = okta.responseXml(options({ nameId: 'mallory@example.com' }));
  const extra = /<saml2:Assertion [\s\S]*<\/saml2:Assertion>/.exec(second)![0];
  const xml = first.replace('</saml2p:Response>', `${extra}</saml2p:Response>`);
  const f = refused(await validate(okta, toBase64(xml)), 'multiple_assertions');
  assert.equal(f.got, '2 Assertion elements');
});

test('input that is not base64 is refused: malformed', async () => {
  refused(await validate(okta, 'this is <not> base64!'), 'malformed');
});

test('base64 of something that is not XML is refused: malformed', async () => {
  refused(await validate(okta, toBase64('{"SAMLResponse": "nope"}')), 'malformed');
  refused(await validate(okta, Buffer.from([0xff, 0xfe, 0x00, 0x3c]).toString('base64')), 'malformed');
});

test('a LogoutResponse posted to the ACS is refused: malformed', async () => {
  const xml = `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0" IssueInstant="2025-03-01T12:00:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
  refused(await validate(okta, toBase64(xml)), 'malformed');
});

test('a Response over the size limit is refused before decoding: response_too_large', async () => {
  const f = refused(await validate(okta, '!'.repeat(300 * 1024)), 'response_too_large');
  assert.equal(f.got, `${300 * 1024} bytes`);
  refused(await validate(okta, okta.response(options()), { maxBytes: 1024 }), 'response_too_large');
});

test('SHA-1 is refused by default and accepted when the connection allows it (old ADFS)', async () => {
  const b64 = okta.response(options({ algorithm: 'sha1' }));
  const f = refused(await validate(okta, b64), 'weak_algorithm');
  assert.equal(f.got, 'SignatureMethod http://www.w3.org/2000/09/xmldsig#rsa-sha1');
  accepted(await validate(okta, b64, { allowSha1: true }));
});
