/**
 * Strict XML reading and writing for saml/: namespace-exact DOM look-ups and escaping.
 * DTDs are refused before the parser sees the text, so no entity is ever declared, expanded or fetched.
 * Nothing here trusts content: signature checks live in validate-response.ts.
 */
import { DOMParser } from '@xmldom/xmldom';
import { err, ok, type Result } from '../domain/result.js';

/** The namespaces saml/ reads. @internal */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

export type XmlParseFailure = { kind: 'dtd' | 'syntax'; detail: string };

/**
 * True when the text holds a markup declaration: `<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`,
 * `<!NOTATION` — anything `<!` that is not a comment or a CDATA section. Checked on the raw text, anywhere,
 * so a DOCTYPE after a comment or in an odd case is refused as well. @internal
 */
export const hasMarkupDeclaration = (text: string): boolean => /<!(?!--|\[CDATA\[)/.test(text);

/**
 * Parses XML with every parser warning and error treated as fatal, and any DTD refused before parsing.
 * @internal
 */
export function parseXmlStrict(text: string): Result<Document, XmlParseFailure> {
  if (hasMarkupDeclaration(text)) return err({ kind: 'dtd', detail: 'the XML contains a DTD or entity declaration' });
  const problems: string[] = [];
  const record = (msg: unknown) => {
    problems.push(String(msg).split('\n')[0] ?? 'unknown XML error');
  };
  let doc: Document;
  try {
    doc = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(
      text,
      'text/xml',
    );
  } catch (e) {
    return err({ kind: 'syntax', detail: `the XML does not parse: ${String(e).split('\n')[0]}` });
  }
  if (problems.length > 0) return err({ kind: 'syntax', detail: `the XML does not parse: ${problems[0]}` });
  if (!doc || !doc.documentElement) return err({ kind: 'syntax', detail: 'the XML has no root element' });
  return ok(doc);
}

const isElement = (n: Node | null | undefined): n is Element => !!n && n.nodeType === 1;

/** Direct element children of `parent`, optionally filtered by namespace URI and local name. @internal */
export function childElements(parent: Element | Document, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (ns !== undefined && n.namespaceURI !== ns) continue;
    if (localName !== undefined && n.localName !== localName) continue;
    out.push(n);
  }
  return out;
}

/** The first direct child with that namespace and local name. @internal */
export const childElement = (parent: Element | Document, ns: string, localName: string): Element | undefined =>
  childElements(parent, ns, localName)[0];

/** Every descendant element with that namespace and local name, in document order. @internal */
export function descendantElements(root: Element | Document, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Element | Document) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (!isElement(n)) continue;
      if (n.namespaceURI === ns && n.localName === localName) out.push(n);
      walk(n);
    }
  };
  walk(root);
  return out;
}

/** Every element of the document, in document order. @internal */
export function allElements(root: Element | Document): Element[] {
  const out: Element[] = [];
  const walk = (node: Element | Document) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (!isElement(n)) continue;
      out.push(n);
      walk(n);
    }
  };
  walk(root);
  return out;
}

/**
 * The element's full text: every text and CDATA descendant joined, comments and processing instructions
 * skipped. Reading only the first text node is what made `user@evil.com<!---->.example.com` read as
 * `user@evil.com` in other SAML libraries (CVE-2017-11427 family); this reads the whole value. @internal
 */
export function textOf(el: Element): string {
  let out = '';
  const walk = (node: Node) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 || n.nodeType === 4) out += n.nodeValue ?? '';
      else if (n.nodeType === 1) walk(n);
    }
  };
  walk(el);
  return out;
}

/** An attribute's value, or null when the attribute is absent (xmldom returns '' for both otherwise). @internal */
export const attrOf = (el: Element, name: string): string | null => {
  const node = el.getAttributeNode(name);
  return node ? node.value : null;
};

/** Escapes text for use in element content or a double-quoted attribute value. @internal */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
