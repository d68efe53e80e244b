/**
 * Checks on the assertion the signature library verified (its canonical XML, re-parsed): issuer, subject,
 * time window, audience, bearer confirmation (Recipient, InResponseTo), and extraction of the values the
 * caller receives. Everything returned comes from the verified bytes; Response-level values that may be
 * unsigned (Destination, InResponseTo) are only compared, never trusted.
 */
import { samlFailure, type SamlFailure } from './failure.js';
import { parseSamlInstant } from './response-shape.js';
import { NS, attrOf, childElement, childElements, textOf } from './xml.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The verified assertion, as the caller receives it. */
export interface SamlAssertion {
  /** The Assertion ID: store it until notOnOrAfter to refuse a replay. */
  id: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex?: string;
  /** ISO-8601: the earliest NotOnOrAfter of the bearer confirmation and the Conditions. */
  notOnOrAfter: string;
  /** The request this answers, or null for an IdP-initiated (unsolicited) sign-in. */
  inResponseTo: string | null;
  /** Attribute Name -> values, in document order; repeated Attribute elements are merged. */
  attributes: Record<string, string[]>;
}

export interface AssertionExpectations {
  spEntityId: string;
  acsUrl: string;
  idpEntityId: string;
  inResponseTo: string | null;
  allowUnsolicited: boolean;
}

/** Response-level values, read from the raw document. `signed` says whether the library verified the Response. */
export interface ResponseEnvelope {
  inResponseTo: string | null;
  signed: boolean;
}

type Checked = { ok: true; assertion: SamlAssertion } | { ok: false; failure: SamlFailure };
const fail = (failure: SamlFailure): Checked => ({ ok: false, failure });

/** @internal */
export function checkVerifiedAssertion(
  assertion: Element,
  envelope: ResponseEnvelope,
  expected: AssertionExpectations,
  nowMs: number,
  skewMs: number,
): Checked {
  const id = attrOf(assertion, 'ID');
  if (!id) return fail(samlFailure('malformed', 'The sign-in response is malformed.', { want: 'an Assertion ID', got: 'none' }));

  const issuerEl = childElement(assertion, NS.assertion, 'Issuer');
  const issuer = issuerEl ? textOf(issuerEl).trim() : null;
  if (issuer !== expected.idpEntityId) {
    return fail(
      samlFailure('issuer_mismatch', 'The sign-in response comes from a different identity provider than the one configured.', {
        want: expected.idpEntityId,
        got: issuer ?? '(no Assertion Issuer)',
      }),
    );
  }

  const subject = childElement(assertion, NS.assertion, 'Subject');
  if (subject && childElement(subject, NS.assertion, 'EncryptedID')) {
    return fail(
      samlFailure('encrypted_assertion_unsupported', 'The identity provider encrypted the user identifier, which this connection does not support.', {
        got: 'EncryptedID',
      }),
    );
  }
  const nameIdEl = subject ? childElement(subject, NS.assertion, 'NameID') : undefined;
  const nameId = nameIdEl ? textOf(nameIdEl).trim() : '';
  if (!nameIdEl || nameId.length === 0) {
    return fail(samlFailure('subject_missing', 'The sign-in response does not say who signed in.', { want: 'Subject/NameID', got: subject ? 'empty or no NameID' : 'no Subject' }));
  }

  const window = checkConditions(assertion, expected, nowMs, skewMs);
  if ('code' in window) return fail(window);

  const confirmation = checkBearerConfirmations(subject!, envelope, expected, nowMs, skewMs);
  if ('code' in confirmation) return fail(confirmation);

  const notOnOrAfterMs = Math.min(confirmation.notOnOrAfterMs, window.notOnOrAfterMs ?? Number.POSITIVE_INFINITY);
  const authn = childElement(assertion, NS.assertion, 'AuthnStatement');
  const sessionIndex = authn ? attrOf(authn, 'SessionIndex') : null;
  const result: SamlAssertion = {
    id,
    issuer,
    nameId,
    nameIdFormat: attrOf(nameIdEl, 'Format'),
    notOnOrAfter: new Date(notOnOrAfterMs).toISOString(),
    inResponseTo: confirmation.inResponseTo,
    attributes: readAttributes(assertion),
  };
  if (sessionIndex) result.sessionIndex = sessionIndex;
  return { ok: true, assertion: result };
}

function checkTimes(el: Element, nowMs: number, skewMs: number): SamlFailure | undefined {
  const notBefore = parseSamlInstant(attrOf(el, 'NotBefore'));
  const notOnOrAfter = parseSamlInstant(attrOf(el, 'NotOnOrAfter'));
  const now = new Date(nowMs).toISOString();
  if (notBefore !== null && nowMs + skewMs < notBefore) {
    return samlFailure('not_yet_valid', 'The sign-in response is not valid yet; check the clocks of the identity provider and this server.', {
      want: `${el.localName} NotBefore <= ${now} (+${skewMs} ms skew)`,
      got: `NotBefore ${attrOf(el, 'NotBefore')}`,
    });
  }
  if (notOnOrAfter !== null && nowMs - skewMs >= notOnOrAfter) {
    return samlFailure('expired', 'The sign-in response has expired; please sign in again.', {
      want: `${el.localName} NotOnOrAfter > ${now} (-${skewMs} ms skew)`,
      got: `NotOnOrAfter ${attrOf(el, 'NotOnOrAfter')}`,
    });
  }
  return undefined;
}

function checkConditions(assertion: Element, expected: AssertionExpectations, nowMs: number, skewMs: number): SamlFailure | { notOnOrAfterMs: number | null } {
  const conditions = childElements(assertion, NS.assertion, 'Conditions');
  if (conditions.length !== 1) {
    return samlFailure('audience_mismatch', 'The sign-in response is not addressed to this application.', {
      want: `one Conditions with AudienceRestriction ${expected.spEntityId}`,
      got: `${conditions.length} Conditions`,
    });
  }
  const c = conditions[0]!;
  const time = checkTimes(c, nowMs, skewMs);
  if (time) return time;
  // Web SSO profile §4.1.4.2: the assertion MUST be restricted to the SP; every restriction must name us (core §2.5.1.4).
  const restrictions = childElements(c, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) {
    return samlFailure('audience_mismatch', 'The sign-in response is not addressed to this application.', {
      want: expected.spEntityId,
      got: 'no AudienceRestriction',
    });
  }
  for (const r of restrictions) {
    const audiences = childElements(r, NS.assertion, 'Audience').map((a) => textOf(a).trim());
    if (!audiences.includes(expected.spEntityId)) {
      return samlFailure('audience_mismatch', 'The sign-in response is not addressed to this application.', {
        want: expected.spEntityId,
        got: audiences.length > 0 ? audiences.join(', ') : '(empty AudienceRestriction)',
      });
    }
  }
  return { notOnOrAfterMs: parseSamlInstant(attrOf(c, 'NotOnOrAfter')) };
}

/** Accepts the first bearer SubjectConfirmation that passes every check; reports the first one's failure otherwise. */
function checkBearerConfirmations(
  subject: Element,
  envelope: ResponseEnvelope,
  expected: AssertionExpectations,
  nowMs: number,
  skewMs: number,
): SamlFailure | { notOnOrAfterMs: number; inResponseTo: string | null } {
  const bearers = childElements(subject, NS.assertion, 'SubjectConfirmation').filter((sc) => attrOf(sc, 'Method') === BEARER);
  if (bearers.length === 0) {
    return samlFailure('subject_missing', 'The sign-in response does not confirm who signed in.', {
      want: `SubjectConfirmation Method="${BEARER}"`,
      got: 'no bearer SubjectConfirmation',
    });
  }
  let first: SamlFailure | undefined;
  for (const sc of bearers) {
    const checked = checkBearer(sc, envelope, expected, nowMs, skewMs);
    if (!('code' in checked)) return checked;
    first ??= checked;
  }
  return first!;
}

function checkBearer(
  sc: Element,
  envelope: ResponseEnvelope,
  expected: AssertionExpectations,
  nowMs: number,
  skewMs: number,
): SamlFailure | { notOnOrAfterMs: number; inResponseTo: string | null } {
  const data = childElement(sc, NS.assertion, 'SubjectConfirmationData');
  const recipient = data ? attrOf(data, 'Recipient') : null;
  if (recipient !== expected.acsUrl) {
    return samlFailure('recipient_mismatch', 'The sign-in response was sent to a different address than this application’s.', {
      want: expected.acsUrl,
      got: recipient ?? '(no SubjectConfirmationData Recipient)',
    });
  }
  const notOnOrAfterMs = parseSamlInstant(attrOf(data!, 'NotOnOrAfter'));
  if (notOnOrAfterMs === null) {
    return samlFailure('malformed', 'The sign-in response is malformed.', { want: 'SubjectConfirmationData NotOnOrAfter', got: 'none' });
  }
  const time = checkTimes(data!, nowMs, skewMs);
  if (time) return time;
  const inResponseTo = checkInResponseTo(attrOf(data!, 'InResponseTo'), envelope, expected);
  if (typeof inResponseTo === 'object' && inResponseTo !== null) return inResponseTo;
  return { notOnOrAfterMs, inResponseTo };
}

/**
 * The request binding. The signed SubjectConfirmationData InResponseTo is authoritative (profiles §4.1.4.2
 * requires it on a solicited response); the Response's own InResponseTo counts only when the Response
 * signature was verified, and must agree when both are present.
 */
function checkInResponseTo(fromAssertion: string | null, envelope: ResponseEnvelope, expected: AssertionExpectations): SamlFailure | string | null {
  const mismatch = (want: string, got: string) =>
    samlFailure('in_response_to_mismatch', 'The sign-in response does not answer the sign-in this browser started; please try again.', { want, got });
  if (fromAssertion !== null && envelope.inResponseTo !== null && fromAssertion !== envelope.inResponseTo) {
    return mismatch(`Response InResponseTo equal to the assertion's (${fromAssertion})`, `Response InResponseTo ${envelope.inResponseTo}`);
  }
  let effective = fromAssertion;
  if (effective === null && envelope.inResponseTo !== null) {
    if (!envelope.signed) {
      return mismatch(
        'InResponseTo on the signed SubjectConfirmationData',
        `InResponseTo ${envelope.inResponseTo} only on the unsigned Response`,
      );
    }
    effective = envelope.inResponseTo;
  }
  if (effective === null) {
    if (!expected.allowUnsolicited) {
      return samlFailure('unsolicited_not_allowed', 'Sign-in started at the identity provider is not allowed for this application; start from the application’s sign-in page.', {
        want: expected.inResponseTo ?? 'a response to an AuthnRequest',
        got: 'no InResponseTo (IdP-initiated)',
      });
    }
    return null;
  }
  if (expected.inResponseTo === null) return mismatch('no InResponseTo (no sign-in request pending)', `InResponseTo ${effective}`);
  if (effective !== expected.inResponseTo) return mismatch(expected.inResponseTo, effective);
  return effective;
}

function readAttributes(assertion: Element): Record<string, string[]> {
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attrOf(attribute, 'Name');
      if (!name) continue;
      const list = values.get(name) ?? [];
      for (const v of childElements(attribute, NS.assertion, 'AttributeValue')) {
        if (v.getAttributeNS(XSI, 'nil') === 'true') continue;
        list.push(textOf(v));
      }
      values.set(name, list);
    }
  }
  // fromEntries defines own properties, so a "__proto__" attribute name stays a plain key.
  return Object.fromEntries(values);
}
