/**
 * Validates a SAML 2.0 Response posted to our ACS (HTTP-POST binding). Pure: time, certificates and
 * expected entity IDs are arguments; no clock, no cache, no network. Signatures are verified by
 * @node-saml/node-saml (which uses xml-crypto) against the configured certificates only, and every value
 * returned is read from the assertion XML that library verified. Replay protection is the caller's: store
 * `assertion.id` until `assertion.notOnOrAfter`.
 */
import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import { certificateFingerprint, certificateToPem, normalizeCertificate } from './certificate.js';
import { checkVerifiedAssertion, type SamlAssertion } from './assertion-checks.js';
import { samlFailure, type SamlFailure } from './failure.js';
import { fingerprints, inspectResponse, type ResponseShape } from './response-shape.js';
import { NS, attrOf, childElement, parseXmlStrict, textOf } from './xml.js';

export type { SamlAssertion } from './assertion-checks.js';
export type { SamlFailure, SamlFailureCode } from './failure.js';

export const DEFAULT_CLOCK_SKEW_MS = 180_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

export interface ValidateSamlResponseInput {
  /** The SAMLResponse form field, as posted (base64; line breaks allowed). */
  samlResponseBase64: string;
  now: Date;
  expected: {
    /** Our entity ID: the Audience. */
    spEntityId: string;
    /** Our ACS URL: the Recipient, and the Destination when the Response names one. */
    acsUrl: string;
    /** The IdP's entity ID: the Issuer of the Response (when present) and of the Assertion. */
    idpEntityId: string;
    /** The ID of the AuthnRequest this browser started, or null when none is pending (unsolicited). */
    inResponseTo: string | null;
    /** Accept IdP-initiated responses (no InResponseTo). */
    allowUnsolicited: boolean;
  };
  /** The IdP's signing certificates (PEM or base64); every one is tried, for rollovers. */
  idpCertificates: string[];
  /** Default 180000 (3 minutes). */
  clockSkewMs?: number;
  /** Limit on the posted base64 text, checked before decoding. Default 256 KiB. */
  maxBytes?: number;
  /** Accept RSA-SHA1 signatures and SHA-1 digests (some old ADFS set-ups). Default false. */
  allowSha1?: boolean;
}

export type SamlValidationResult = { ok: true; assertion: SamlAssertion } | { ok: false; failure: SamlFailure };

const refuse = (failure: SamlFailure): SamlValidationResult => ({ ok: false, failure });

/**
 * @example
 * const result = await validateSamlResponse({ samlResponseBase64: form.SAMLResponse, now: clock.now(),
 *   expected: { spEntityId, acsUrl, idpEntityId, inResponseTo: pending?.requestId ?? null, allowUnsolicited: false },
 *   idpCertificates: connection.certificates });
 * if (!result.ok) return renderSamlError(result.failure); // detail for the user, want/got for the admin log
 */
export async function validateSamlResponse(input: ValidateSamlResponseInput): Promise<SamlValidationResult> {
  const skewMs = input.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const nowMs = input.now.getTime();
  if (Number.isNaN(nowMs)) throw new TypeError('validateSamlResponse: now is not a valid date');

  // 1. Size, before any decoding.
  const posted = input.samlResponseBase64;
  if (typeof posted !== 'string' || posted.length > maxBytes) {
    return refuse(
      samlFailure('response_too_large', 'The sign-in response is too large.', {
        want: `at most ${maxBytes} bytes of base64`,
        got: typeof posted === 'string' ? `${posted.length} bytes` : typeof posted,
      }),
    );
  }

  // 2. Base64, then strict UTF-8.
  const compact = posted.replace(/[\r\n\t ]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return refuse(samlFailure('malformed', 'The sign-in response is not readable.', { want: 'base64', got: 'not base64' }));
  }
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64')).replace(/^\uFEFF/, '');
  } catch {
    return refuse(samlFailure('malformed', 'The sign-in response is not readable.', { want: 'UTF-8 XML', got: 'invalid UTF-8' }));
  }

  // 3. DTDs anywhere are refused on the text, before any parser sees it; then a strict parse.
  const parsed = parseXmlStrict(xml);
  if (!parsed.ok) {
    return refuse(
      parsed.error.kind === 'dtd'
        ? samlFailure('dtd_forbidden', 'The sign-in response contains a DTD, which is not allowed.', { want: 'no DOCTYPE', got: 'DOCTYPE or ENTITY declaration' })
        : samlFailure('malformed', 'The sign-in response is not well-formed XML.', { got: parsed.error.detail }),
    );
  }

  // 4. Shape: status, one Assertion in place, unique IDs, signatures where they belong, algorithms.
  const shape = inspectResponse(parsed.value, { allowSha1: input.allowSha1 ?? false });
  if (!shape.ok) return refuse(shape.failure);

  // 5. Trusted certificates.
  const trusted = input.idpCertificates.map(normalizeCertificate).flatMap((r) => (r.ok ? [r.value] : []));
  if (trusted.length === 0) {
    return refuse(
      samlFailure('certificate_untrusted', 'This sign-in connection has no usable identity provider certificate.', {
        want: 'at least one valid IdP signing certificate in the connection',
        got: `${input.idpCertificates.length} configured, none readable`,
      }),
    );
  }

  // 6. Signature verification by the library; we receive the verified assertion XML.
  const verified = await verifyWithLibrary(xml, shape.value, trusted, input.expected);
  if (!verified.ok) return refuse(verified.failure);

  // 7. Response-level values (compared only; trusted only if the Response signature was verified).
  const envelope = checkEnvelope(shape.value.response, input.expected);
  if (envelope) return refuse(envelope);

  const assertionDoc = parseXmlStrict(verified.assertionXml);
  if (!assertionDoc.ok || assertionDoc.value.documentElement.localName !== 'Assertion' || assertionDoc.value.documentElement.namespaceURI !== NS.assertion) {
    return refuse(samlFailure('malformed', 'The sign-in response is malformed.', { got: 'the verified assertion does not parse' }));
  }
  const checked = checkVerifiedAssertion(
    assertionDoc.value.documentElement,
    { inResponseTo: attrOf(shape.value.response, 'InResponseTo'), signed: shape.value.responseSigned },
    input.expected,
    nowMs,
    skewMs,
  );
  return checked.ok ? { ok: true, assertion: checked.assertion } : refuse(checked.failure);
}

/** node-saml keeps request IDs in a cache when validateInResponseTo is on; ours is off, and this keeps it stateless. */
const noCache: CacheProvider = {
  saveAsync: async () => null,
  getAsync: async () => null,
  removeAsync: async () => null,
};

async function verifyWithLibrary(
  xml: string,
  shape: ResponseShape,
  trusted: string[],
  expected: ValidateSamlResponseInput['expected'],
): Promise<{ ok: true; assertionXml: string } | { ok: false; failure: SamlFailure }> {
  const saml = new SAML({
    callbackUrl: expected.acsUrl,
    issuer: expected.spEntityId,
    idpCert: trusted.map(certificateToPem),
    // Every signature present must verify: a bad Response signature is not excused by a good Assertion one.
    wantAuthnResponseSigned: shape.responseSigned,
    wantAssertionsSigned: shape.assertionSigned,
    // Time, audience and InResponseTo are checked by us on the verified assertion, with our `now`
    // (node-saml reads the system clock); -1 turns its time checks off.
    acceptedClockSkewMs: -1,
    audience: false,
    validateInResponseTo: ValidateInResponseTo.never,
    cacheProvider: noCache,
  });
  let assertionXml: string | undefined;
  let reason = 'no assertion returned';
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    assertionXml = profile?.getAssertionXml?.();
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  if (assertionXml !== undefined) return { ok: true, assertionXml };

  // Explain the refusal. A certificate in KeyInfo that we do not trust is the usual cause (the IdP
  // rotated its key, or someone else signed); the KeyInfo is only read to say so, never to verify.
  const untrusted = shape.presentedCertificates.find((c) => !trusted.includes(c));
  if (untrusted !== undefined) {
    return {
      ok: false,
      failure: samlFailure('certificate_untrusted', 'The sign-in response is signed with a certificate this connection does not trust.', {
        want: fingerprints(trusted),
        got: `sha256:${certificateFingerprint(untrusted)}`,
      }),
    };
  }
  return {
    ok: false,
    failure: samlFailure('signature_invalid', 'The sign-in response signature is not valid.', {
      want: `a valid signature by ${fingerprints(trusted)}`,
      got: reason.slice(0, 300),
    }),
  };
}

function checkEnvelope(response: Element, expected: ValidateSamlResponseInput['expected']): SamlFailure | undefined {
  const issuerEl = childElement(response, NS.assertion, 'Issuer');
  if (issuerEl) {
    const issuer = textOf(issuerEl).trim();
    if (issuer !== expected.idpEntityId) {
      return samlFailure('issuer_mismatch', 'The sign-in response comes from a different identity provider than the one configured.', {
        want: expected.idpEntityId,
        got: `Response Issuer ${issuer}`,
      });
    }
  }
  const destination = attrOf(response, 'Destination');
  if (destination !== null && destination !== expected.acsUrl) {
    return samlFailure('destination_mismatch', 'The sign-in response was sent to a different address than this application’s.', {
      want: expected.acsUrl,
      got: destination,
    });
  }
  return undefined;
}
