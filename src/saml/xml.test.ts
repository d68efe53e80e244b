import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, hasMarkupDeclaration, parseXmlStrict, textOf } from './xml.js';

test('hasMarkupDeclaration finds DTD declarations anywhere, and nothing else', () => {
  const cases: { name: string; xml: string; expected: boolean }[] = [
    { name: 'plain document', xml: '<?xml version="1.0"?><a>1</a>', expected: false },
    { name: 'comment and CDATA', xml: '<a><!-- c --><![CDATA[x < y]]></a>', expected: false },
    { name: 'conservative: "<!" inside CDATA is refused too', xml: '<a><![CDATA[<!x>]]></a>', expected: true },
    { name: 'DOCTYPE', xml: '<!DOCTYPE a><a/>', expected: true },
    { name: 'lower-case doctype after a comment', xml: '<!-- c --><!doctype a><a/>', expected: true },
    { name: 'ENTITY inside', xml: '<a><!ENTITY x "y"></a>', expected: true },
  ];
  for (const c of cases) assert.equal(hasMarkupDeclaration(c.xml), c.expected, c.name);
});

test('parseXmlStrict refuses DTDs and anything the parser complains about', () => {
  const dtd = parseXmlStrict('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>');
  assert.ok(!dtd.ok && dtd.error.kind === 'dtd');
  for (const bad of ['<a>', '<a><b></a>', 'text', '<a x="1" x="2"/>', '<a>&undefined;</a>']) {
    const r = parseXmlStrict(bad);
    assert.ok(!r.ok && r.error.kind === 'syntax', bad);
  }
  assert.ok(parseXmlStrict('<a xmlns="urn:x"><b>1</b></a>').ok);
});

test('textOf joins every text node and skips comments (the NameID comment-injection case)', () => {
  const r = parseXmlStrict('<NameID>user@example.com<!---->.evil.com<?pi x?><![CDATA[!]]></NameID>');
  assert.ok(r.ok);
  assert.equal(textOf(r.value.documentElement), 'user@example.com.evil.com!');
});

test('escapeXml escapes markup and quotes', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
});
