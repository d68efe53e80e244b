/**
 * Structural checks on the raw, not yet verified, SAML Response DOM. They only ever refuse: nothing read
 * here is trusted or returned to the caller as identity. Their job is to turn every known signature-wrapping
 * shape (XSW1–8, ID collisions, references to another element, extra assertions) and every weak algorithm into
 * a precise failure code before the signature library runs, so the library only sees the one shape we accept:
 * a Response with one Assertion child, enveloped signatures on either or both, each covering its own parent.
 */
import { certificateFingerprint, normalizeCertificate } from './certificate.js';
import { samlFailure, type SamlFailure } from './failure.js';
import { NS, allElements, attrOf, childElement, childElements, descendantElements, textOf } from './xml.js';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** Algorithms xml-crypto implements that we accept; SHA-1 only on request (allowSha1). */
const SIGNATURE_ALGORITHMS = [
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
];
const SIGNATURE_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const DIGEST_ALGORITHMS = ['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512'];
const DIGEST_SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const CANONICALIZATIONS = [
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
];
const TRANSFORMS = ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', ...CANONICALIZATIONS];

/** What the raw response looks like; none of it is trusted. */
export interface ResponseShape {
  response: Element;
  assertion: Element;
  responseSigned: boolean;
  assertionSigned: boolean;
  /** Certificates found in the signatures' KeyInfo (canonical base64); used only to explain a failure. */
  presentedCertificates: string[];
}

type ShapeResult = { ok: true; value: ResponseShape } | { ok: false; failure: SamlFailure };
const fail = (failure: SamlFailure): ShapeResult => ({ ok: false, failure });

/** @internal */
export function inspectResponse(doc: Document, options: { allowSha1: boolean }): ShapeResult {
  const response = doc.documentElement;
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
    return fail(
      samlFailure('malformed', 'The sign-in response is not a SAML Response.', {
        want: `{${NS.protocol}}Response`,
        got: `{${response.namespaceURI ?? ''}}${response.localName}`,
      }),
    );
  }

  const status = checkStatus(response);
  if (status) return fail(status);

  if (descendantElements(response, NS.assertion, 'EncryptedAssertion').length > 0) {
    return fail(
      samlFailure('encrypted_assertion_unsupported', 'The identity provider encrypted the assertion, which this connection does not support.', {
        want: 'an unencrypted Assertion (turn off assertion encryption at the IdP)',
        got: 'EncryptedAssertion',
      }),
    );
  }
  const assertions = descendantElements(response, NS.assertion, 'Assertion');
  if (assertions.length > 1) {
    return fail(
      samlFailure('multiple_assertions', 'The sign-in response carries more than one assertion.', {
        want: '1 Assertion',
        got: `${assertions.length} Assertion elements`,
      }),
    );
  }
  const assertion = assertions[0];
  if (!assertion) return fail(samlFailure('malformed', 'The sign-in response carries no assertion.', { want: '1 Assertion', got: 'none' }));
  if (assertion.parentNode !== response) {
    return fail(
      samlFailure('malformed', 'The assertion is not where a SAML Response puts it.', {
        want: 'Assertion as a direct child of Response',
        got: `Assertion inside ${(assertion.parentNode as Element).localName}`,
      }),
    );
  }
  if (descendantElements(response, NS.protocol, 'Response').length > 0) {
    return fail(samlFailure('malformed', 'The sign-in response contains another Response.', { got: 'nested Response' }));
  }

  const duplicate = findDuplicateId(doc);
  if (duplicate !== undefined) {
    return fail(
      samlFailure('signature_invalid', 'The sign-in response signature is not valid.', {
        want: 'unique ID attributes',
        got: `two elements carry the ID "${duplicate}"`,
      }),
    );
  }

  const signatures = descendantElements(doc, NS.dsig, 'Signature');
  let responseSignature: Element | undefined;
  let assertionSignature: Element | undefined;
  for (const sig of signatures) {
    const parent = sig.parentNode as Element;
    if (parent === response && !responseSignature) responseSignature = sig;
    else if (parent === assertion && !assertionSignature) assertionSignature = sig;
    else {
      return fail(
        samlFailure('signature_invalid', 'The sign-in response signature is not valid.', {
          want: 'one enveloped Signature on the Response and/or one on the Assertion',
          got: `a Signature inside ${parent.localName}`,
        }),
      );
    }
  }
  if (!responseSignature && !assertionSignature) {
    return fail(
      samlFailure('signature_missing', 'The sign-in response is not signed.', {
        want: 'a signature on the Response or the Assertion',
        got: 'no Signature element',
      }),
    );
  }

  const presentedCertificates: string[] = [];
  for (const sig of [responseSignature, assertionSignature]) {
    if (!sig) continue;
    const checked = checkSignatureShape(sig, sig.parentNode as Element, options.allowSha1);
    if ('code' in checked) return fail(checked);
    for (const c of checked.certificates) if (!presentedCertificates.includes(c)) presentedCertificates.push(c);
  }

  const fields = checkParseableFields(assertion);
  if (fields) return fail(fields);

  return {
    ok: true,
    value: {
      response,
      assertion,
      responseSigned: responseSignature !== undefined,
      assertionSigned: assertionSignature !== undefined,
      presentedCertificates,
    },
  };
}

/** The top-level StatusCode must be Success (core §3.2.2.2); otherwise we report it, signed or not. */
function checkStatus(response: Element): SamlFailure | undefined {
  const status = childElement(response, NS.protocol, 'Status');
  const code = status && childElement(status, NS.protocol, 'StatusCode');
  const value = code ? attrOf(code, 'Value') : null;
  if (!value) return samlFailure('malformed', 'The sign-in response has no status.', { want: SUCCESS, got: 'no StatusCode' });
  if (value === SUCCESS) return undefined;
  const sub = childElement(code!, NS.protocol, 'StatusCode');
  const subValue = sub ? attrOf(sub, 'Value') : null;
  const message = childElement(status!, NS.protocol, 'StatusMessage');
  const short = (uri: string | null) => {
    const last = uri?.split(':').pop() ?? '';
    return /^[A-Za-z]{1,40}$/.test(last) ? last : 'unknown';
  };
  const label = subValue ? `${short(value)}/${short(subValue)}` : short(value);
  const got = [value, subValue, message ? textOf(message).trim().slice(0, 500) : null].filter(Boolean).join(' | ');
  return samlFailure('status_not_success', `The identity provider did not sign you in (status ${label}).`, { want: SUCCESS, got });
}

function findDuplicateId(doc: Document): string | undefined {
  // xml-crypto resolves a Reference through any attribute whose local name is ID, Id or id.
  const seen = new Set<string>();
  for (const el of allElements(doc)) {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i)!;
      const local = a.localName ?? a.name;
      if (local !== 'ID' && local !== 'Id' && local !== 'id') continue;
      if (seen.has(a.value)) return a.value;
      seen.add(a.value);
    }
  }
  return undefined;
}

function checkSignatureShape(sig: Element, parent: Element, allowSha1: boolean): SamlFailure | { certificates: string[] } {
  const invalid = (want: string, got: string) => samlFailure('signature_invalid', 'The sign-in response signature is not valid.', { want, got });
  const signedInfos = childElements(sig, NS.dsig, 'SignedInfo');
  if (signedInfos.length !== 1) return invalid('one SignedInfo', `${signedInfos.length} SignedInfo elements`);
  if (childElements(sig, NS.dsig, 'SignatureValue').length !== 1) return invalid('one SignatureValue', 'none or several');
  const signedInfo = signedInfos[0]!;

  const c14n = attrOfChild(signedInfo, 'CanonicalizationMethod');
  if (!c14n || !CANONICALIZATIONS.includes(c14n)) return invalid(CANONICALIZATIONS.join(' | '), `CanonicalizationMethod ${c14n ?? '(none)'}`);
  const weakSig = checkAlgorithm(attrOfChild(signedInfo, 'SignatureMethod'), SIGNATURE_ALGORITHMS, SIGNATURE_SHA1, allowSha1, 'SignatureMethod');
  if (weakSig) return weakSig;

  const refs = childElements(signedInfo, NS.dsig, 'Reference');
  if (refs.length !== 1) return invalid('one Reference to the signed element', `${refs.length} Reference elements`);
  const ref = refs[0]!;
  const id = attrOf(parent, 'ID');
  const uri = attrOf(ref, 'URI');
  if (!id) return invalid(`an ID on the signed ${parent.localName}`, 'no ID attribute');
  if (uri !== `#${id}`) {
    return invalid(`Reference URI "#${id}" (the ${parent.localName} that holds the Signature)`, `Reference URI "${uri ?? '(none)'}"`);
  }
  const transformsEl = childElement(ref, NS.dsig, 'Transforms');
  const transforms = transformsEl ? childElements(transformsEl, NS.dsig, 'Transform') : [];
  if (transforms.length > 2) return invalid('at most 2 Transforms', `${transforms.length} Transforms`);
  for (const t of transforms) {
    const alg = attrOf(t, 'Algorithm');
    if (!alg || !TRANSFORMS.includes(alg)) return invalid('enveloped-signature and c14n transforms only', `Transform ${alg ?? '(none)'}`);
  }
  const weakDigest = checkAlgorithm(attrOfChild(ref, 'DigestMethod'), DIGEST_ALGORITHMS, DIGEST_SHA1, allowSha1, 'DigestMethod');
  if (weakDigest) return weakDigest;

  const keyInfo = childElement(sig, NS.dsig, 'KeyInfo');
  const certificates: string[] = [];
  for (const el of keyInfo ? descendantElements(keyInfo, NS.dsig, 'X509Certificate') : []) {
    const normalized = normalizeCertificate(textOf(el));
    if (normalized.ok) certificates.push(normalized.value);
  }
  return { certificates };
}

function checkAlgorithm(uri: string | null, strong: string[], sha1: string, allowSha1: boolean, what: string): SamlFailure | undefined {
  if (uri && (strong.includes(uri) || (allowSha1 && uri === sha1))) return undefined;
  return samlFailure('weak_algorithm', 'The sign-in response is signed with an algorithm we do not accept.', {
    want: `${what} ${[...strong, ...(allowSha1 ? [sha1] : [])].join(' | ')}`,
    got: `${what} ${uri ?? '(none)'}`,
  });
}

const attrOfChild = (parent: Element, localName: string): string | null => {
  const el = childElement(parent, NS.dsig, localName);
  return el ? attrOf(el, 'Algorithm') : null;
};

/**
 * Values the signature library parses as dates or names while extracting the assertion; refusing them
 * here keeps its errors (which we cannot tell apart from signature errors) for signature problems only.
 */
function checkParseableFields(assertion: Element): SamlFailure | undefined {
  const malformed = (want: string, got: string) => samlFailure('malformed', 'The sign-in response is malformed.', { want, got });
  if (!attrOf(assertion, 'ID')) return malformed('an Assertion ID', 'none');
  if (parseSamlInstant(attrOf(assertion, 'IssueInstant')) === null) return malformed('an Assertion IssueInstant (xs:dateTime)', String(attrOf(assertion, 'IssueInstant')));
  const conditions = childElements(assertion, NS.assertion, 'Conditions');
  if (conditions.length > 1) return malformed('at most one Conditions', `${conditions.length} Conditions`);
  const timed: Element[] = [...conditions];
  const subject = childElement(assertion, NS.assertion, 'Subject');
  for (const sc of subject ? childElements(subject, NS.assertion, 'SubjectConfirmation') : []) {
    timed.push(...childElements(sc, NS.assertion, 'SubjectConfirmationData'));
  }
  for (const el of timed) {
    if (el.attributes.length === 0) continue;
    for (const name of ['NotBefore', 'NotOnOrAfter']) {
      const value = attrOf(el, name);
      if (value !== null && parseSamlInstant(value) === null) return malformed(`${el.localName} ${name} as xs:dateTime`, value);
    }
    if (attrOf(el, 'NotOnOrAfter') === null) return malformed(`${el.localName} with a NotOnOrAfter`, `${el.localName} without NotOnOrAfter`);
  }
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const a of childElements(statement, NS.assertion, 'Attribute')) {
      if (!attrOf(a, 'Name')) return malformed('a Name on every Attribute', 'an Attribute without Name');
    }
  }
  return undefined;
}

/** Parses an xs:dateTime as SAML uses it (UTC; a missing zone is read as UTC). Null when it is not one. @internal */
export function parseSamlInstant(value: string | null): number | null {
  if (value === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[2] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : ms;
}

/** @internal */
export const fingerprints = (certs: string[]): string => certs.map((c) => `sha256:${certificateFingerprint(c)}`).join(', ');
