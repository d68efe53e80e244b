import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from './filter-parser.js';
import { URN } from './urns.js';
import type { AttrPath, CompareOp, Filter, JsonPrimitive, PatchPath } from './types.js';

const ENT = URN.enterpriseUser;
const path = (attr: string, sub?: string, uri?: string): AttrPath => ({ attr, ...(uri ? { uri } : {}), ...(sub ? { sub } : {}) });
const cmp = (op: CompareOp, p: AttrPath | string, value: JsonPrimitive): Filter => ({ op, path: typeof p === 'string' ? path(p) : p, value });
const pr = (p: AttrPath | string): Filter => ({ op: 'pr', path: typeof p === 'string' ? path(p) : p });
const and = (left: Filter, right: Filter): Filter => ({ op: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ op: 'or', left, right });
const not = (filter: Filter): Filter => ({ op: 'not', filter });
const vp = (p: AttrPath | string, filter: Filter): Filter => ({ op: 'valuePath', path: typeof p === 'string' ? path(p) : p, filter });
const nest = (depth: number): string => '('.repeat(depth) + 'title pr' + ')'.repeat(depth);

describe('parseFilter: valid filters', () => {
  const cases: Array<[string, string, Filter]> = [
    // every operator (RFC 7644 §3.4.2.2 Table 3)
    ['eq', 'userName eq "bjensen"', cmp('eq', 'userName', 'bjensen')],
    ['ne', 'userName ne "bjensen"', cmp('ne', 'userName', 'bjensen')],
    ['co', 'name.familyName co "O\'Malley"', cmp('co', path('name', 'familyName'), "O'Malley")],
    ['sw', 'userName sw "J"', cmp('sw', 'userName', 'J')],
    ['ew', 'emails.value ew "@example.com"', cmp('ew', path('emails', 'value'), '@example.com')],
    ['gt', 'meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('gt', path('meta', 'lastModified'), '2011-05-13T04:42:34Z')],
    ['ge', 'meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('ge', path('meta', 'lastModified'), '2011-05-13T04:42:34Z')],
    ['lt', 'meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('lt', path('meta', 'lastModified'), '2011-05-13T04:42:34Z')],
    ['le', 'meta.lastModified le "2011-05-13T04:42:34Z"', cmp('le', path('meta', 'lastModified'), '2011-05-13T04:42:34Z')],
    ['pr', 'title pr', pr('title')],
    // case-insensitive keywords
    ['EQ upper case', 'userName EQ "x"', cmp('eq', 'userName', 'x')],
    ['Eq mixed case', 'userName Eq "x"', cmp('eq', 'userName', 'x')],
    ['PR upper case', 'title PR', pr('title')],
    ['AND / Or / NOT', 'NOT (a pr) AND b pr Or c pr', or(and(not(pr('a')), pr('b')), pr('c'))],
    ['attribute name case is kept', 'USERNAME eq "x"', cmp('eq', 'USERNAME', 'x')],
    // precedence: not > and > or, left-associative
    ['and binds tighter than or', 'a eq 1 or b eq 2 and c eq 3', or(cmp('eq', 'a', 1), and(cmp('eq', 'b', 2), cmp('eq', 'c', 3)))],
    ['and first, then or', 'a eq 1 and b eq 2 or c eq 3', or(and(cmp('eq', 'a', 1), cmp('eq', 'b', 2)), cmp('eq', 'c', 3))],
    ['and is left-associative', 'a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['or is left-associative', 'a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    ['parentheses override precedence', '(a eq 1 or b eq 2) and c eq 3', and(or(cmp('eq', 'a', 1), cmp('eq', 'b', 2)), cmp('eq', 'c', 3))],
    ['redundant parentheses', '((title pr))', pr('title')],
    ['not applies to its group only', 'not (a eq 1) and b eq 2', and(not(cmp('eq', 'a', 1)), cmp('eq', 'b', 2))],
    ['not without a space', 'not(a pr)', not(pr('a'))],
    ['not of a disjunction', 'not (a pr or b pr)', not(or(pr('a'), pr('b')))],
    ['RFC example', 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('eq', 'userType', 'Employee'), or(cmp('co', 'emails', 'example.com'), cmp('co', path('emails', 'value'), 'example.org')))],
    // URN-prefixed paths
    ['core URN prefix', `${URN.user}:userName eq "x"`, cmp('eq', path('userName', undefined, URN.user), 'x')],
    ['enterprise attribute', `${ENT}:department eq "Sales"`, cmp('eq', path('department', undefined, ENT), 'Sales')],
    ['enterprise sub-attribute', `${ENT}:manager.value eq "26118915"`, cmp('eq', path('manager', 'value', ENT), '26118915')],
    ['core URN + sub-attribute', `${URN.user}:name.givenName pr`, pr(path('name', 'givenName', URN.user))],
    ['$ref attribute name', 'members.$ref pr', pr(path('members', '$ref'))],
    // value paths
    ['value path', 'emails[type eq "work" and value co "@example.com"]',
      vp('emails', and(cmp('eq', 'type', 'work'), cmp('co', 'value', '@example.com')))],
    ['value path in a logical expression', 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('eq', 'userType', 'Employee'), vp('emails', and(cmp('eq', 'type', 'work'), cmp('co', 'value', '@example.com'))))],
    ['two value paths', 'emails[type eq "work"] or ims[type eq "xmpp"]', or(vp('emails', cmp('eq', 'type', 'work')), vp('ims', cmp('eq', 'type', 'xmpp')))],
    ['not inside a value path', 'emails[not (type eq "work")]', vp('emails', not(cmp('eq', 'type', 'work')))],
    ['parentheses inside a value path', 'emails[(type eq "work" or type eq "home") and primary eq true]',
      vp('emails', and(or(cmp('eq', 'type', 'work'), cmp('eq', 'type', 'home')), cmp('eq', 'primary', true)))],
    ['URN-prefixed value path', `${URN.user}:emails[type eq "work"]`, vp(path('emails', undefined, URN.user), cmp('eq', 'type', 'work'))],
    ['Group members value path', 'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      vp('members', cmp('eq', 'value', '2819c223-7f76-453a-919d-413861904646'))],
    // literals
    ['string escapes', String.raw`a eq "q\"b\\s\/f\bb\ff\nn\rr\tt\u00e9\uD83D\uDE00"`, cmp('eq', 'a', 'q"b\\s/f\bb\ff\nn\rr\tt\u00e9\u{1F600}')],
    ['brackets and parens inside strings', 'a eq "x]) and (y["', cmp('eq', 'a', 'x]) and (y[')],
    ['empty string', 'a eq ""', cmp('eq', 'a', '')],
    ['integer', 'a eq 42', cmp('eq', 'a', 42)],
    ['zero', 'a eq 0', cmp('eq', 'a', 0)],
    ['negative integer', 'a gt -7', cmp('gt', 'a', -7)],
    ['decimal', 'a lt 3.14', cmp('lt', 'a', 3.14)],
    ['exponent', 'a ge 1e3', cmp('ge', 'a', 1000)],
    ['negative exponent', 'a le -2.5E-2', cmp('le', 'a', -0.025)],
    ['true', 'active eq true', cmp('eq', 'active', true)],
    ['TRUE', 'active eq TRUE', cmp('eq', 'active', true)],
    ['False', 'active eq False', cmp('eq', 'active', false)],
    ['null', 'title eq null', cmp('eq', 'title', null)],
    ['NULL with ne', 'title ne NULL', cmp('ne', 'title', null)],
    ['extra whitespace', '  userName   eq\t"x"  ', cmp('eq', 'userName', 'x')],
    // what the IdPs actually send
    ['Okta user lookup', 'userName eq "john.doe@example.com"', cmp('eq', 'userName', 'john.doe@example.com')],
    ['Okta group lookup', 'displayName eq "Engineering"', cmp('eq', 'displayName', 'Engineering')],
    ['Entra externalId lookup', 'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c03d4846"', cmp('eq', 'externalId', '0a21f0f2-8d2a-4f8e-bf98-7363c03d4846')],
    ['Entra userName with plus', 'userName eq "a+b@x.com"', cmp('eq', 'userName', 'a+b@x.com')],
    ['Entra group members check', 'id eq "g1" and members[value eq "u1"]', and(cmp('eq', 'id', 'g1'), vp('members', cmp('eq', 'value', 'u1')))],
    ['depth at the limit', nest(MAX_FILTER_DEPTH), pr('title')],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(parseFilter(input), { ok: true, value: expected }));
  }
});

describe('parseFilter: malformed filters', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['no operator', 'userName', /expected a comparison operator after "userName" at position 8/],
    ['unknown operator', 'userName xx "a"', /expected a comparison operator after "userName" at position 9, found "xx"/],
    ['comparison without a value', 'userName eq', /expected a value .* after "eq" at position 11/],
    ['value is a keyword', 'userName eq and', /expected a value/],
    ['unquoted string', 'userName eq bjensen', /double quotes/],
    ['single-quoted string', "userName eq 'bjensen'", /double quotes/],
    ['unterminated string', 'userName eq "bjensen', /unterminated string starting at position 12/],
    ['unterminated after escape', 'userName eq "abc\\', /unterminated string/],
    ['bad escape', 'userName eq "a\\x"', /invalid escape "\\x"/],
    ['short \\u escape', 'userName eq "\\u12"', /invalid \\u escape/],
    ['raw control character', 'userName eq "a\nb"', /control character/],
    ['pr with a value', 'title pr "x"', /"pr" takes no value at position 9/],
    ['pr with true', 'title pr true', /"pr" takes no value/],
    ['trailing garbage', 'userName eq "a" extra', /expected "and", "or" or the end of the filter at position 16, found "extra"/],
    ['stray closing paren', 'userName eq "a")', /found "\)"/],
    ['unclosed paren', '(userName eq "a"', /expected "\)" to close the "\(" at position 0/],
    ['empty parentheses', '()', /expected an attribute path/],
    ['not without parentheses', 'not userName eq "a"', /expected "\(" after "not"/],
    ['dangling and', 'userName eq "a" and', /expected an attribute path, "not" or "\(" at position 19/],
    ['double or', 'a pr or or b pr', /expected a comparison operator after "or"/],
    ['starts with a value', '"a" eq userName', /expected an attribute path/],
    ['unclosed value path', 'emails[type eq "work"', /expected "\]" to close the "\[" at position 6/],
    ['empty value path', 'emails[]', /expected a filter inside/],
    ['sub-attribute after a value path', 'emails[type eq "work"].value eq "x"', /only allowed in PATCH paths/],
    ['sub-attribute after a value path in parentheses', '(emails[type eq "work"].value pr)', /only allowed in PATCH paths/],
    ['nested value path', 'emails[addresses[type eq "x"]]', /cannot be nested/],
    ['value path on a sub-attribute', 'name.givenName[value eq "x"]', /not the sub-attribute/],
    ['two sub-attributes', 'name.givenName.first eq "x"', /more than one sub-attribute/],
    ['trailing dot', 'name. eq "x"', /expected an attribute name/],
    ['colon without urn', 'foo:bar eq "x"', /does not start with a "urn:"/],
    ['URN without attribute', `${URN.user}: eq "x"`, /expected an attribute name after the schema URN/],
    ['bad attribute name', '$foo eq "x"', /invalid attribute name "\$foo"/],
    ['leading zero', 'a eq 01', /invalid number "01"/],
    ['trailing decimal point', 'a eq 1.', /invalid number "1."/],
    ['lone minus', 'a eq -', /invalid number "-"/],
    ['number out of range', 'a eq 1e999', /out of range/],
    ['gt with a boolean', 'active gt true', /"gt" cannot compare with true/],
    ['le with null', 'title le null', /"le" cannot compare with null/],
    ['unexpected character', 'userName eq "a" & title pr', /unexpected character "&" at position 16/],
    ['too long', `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`, /longer than 4096/],
    ['too deep', nest(MAX_FILTER_DEPTH + 1), /deeper than 32/],
    ['too deep with not', 'not ('.repeat(MAX_FILTER_DEPTH + 1) + 'a pr' + ')'.repeat(MAX_FILTER_DEPTH + 1), /deeper than 32/],
  ];
  for (const [name, input, detail] of cases) {
    test(name, () => {
      const r = parseFilter(input);
      assert.equal(r.ok, false, `parsed: ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.equal(r.error.code, 'invalid_filter');
      assert.match(r.error.detail, detail);
    });
  }
});

describe('parsePatchPath', () => {
  const memberId = '2819c223-7f76-453a-919d-413861904646';
  const cases: Array<[string, string, PatchPath]> = [
    ['simple attribute', 'members', { attr: path('members') }],
    ['sub-attribute', 'name.givenName', { attr: path('name', 'givenName') }],
    ['value path', `members[value eq "${memberId}"]`, { attr: path('members'), filter: cmp('eq', 'value', memberId) }],
    ['value path + sub-attribute', 'emails[type eq "work"].value', { attr: path('emails'), filter: cmp('eq', 'type', 'work'), sub: 'value' }],
    ['addresses value path', 'addresses[type eq "work"].streetAddress', { attr: path('addresses'), filter: cmp('eq', 'type', 'work'), sub: 'streetAddress' }],
    ['value path with logic', 'members[value eq "a" or value eq "b"]', { attr: path('members'), filter: or(cmp('eq', 'value', 'a'), cmp('eq', 'value', 'b')) }],
    ['enterprise attribute', `${ENT}:department`, { attr: path('department', undefined, ENT) }],
    ['enterprise sub-attribute', `${ENT}:manager.value`, { attr: path('manager', 'value', ENT) }],
    ['core URN prefix', `${URN.user}:userName`, { attr: path('userName', undefined, URN.user) }],
    ['bare extension URN', ENT, { attr: { attr: ENT } }],
    ['bare extension URN, other case', ENT.toUpperCase(), { attr: { attr: ENT.toUpperCase() } }],
    ['keeps the case the client wrote', 'EMAILS[TYPE EQ "work"].VALUE', { attr: path('EMAILS'), filter: cmp('eq', 'TYPE', 'work'), sub: 'VALUE' }],
    ['$ref sub-attribute', 'members[value eq "x"].$ref', { attr: path('members'), filter: cmp('eq', 'value', 'x'), sub: '$ref' }],
    ['surrounding whitespace', '  active ', { attr: path('active') }],
    ['Entra manager', `${ENT}:manager`, { attr: path('manager', undefined, ENT) }],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(parsePatchPath(input), { ok: true, value: expected }));
  }

  const bad: Array<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['unclosed value path', 'emails[type eq "work"', /expected "\]"/],
    ['dot without sub-attribute', 'emails[type eq "work"].', /expected a sub-attribute name/],
    ['two sub-attributes after a value path', 'emails[type eq "work"].value.x', /invalid sub-attribute name "value.x"/],
    ['two sub-attributes', 'name.givenName.x', /more than one sub-attribute/],
    ['garbage after a value path', 'emails[type eq "work"]x', /expected the end of the path/],
    ['two value paths', 'members[value eq "1"][value eq "2"]', /expected the end of the path/],
    ['value path on a sub-attribute', 'emails.value[type eq "work"]', /not the sub-attribute/],
    ['value path on a bare URN', `${ENT}[department eq "x"]`, /not the schema/],
    ['nested value path', 'emails[addresses[type eq "x"]]', /cannot be nested/],
    ['two words', 'emails value', /expected the end of the path/],
    ['not a path', '"emails"', /expected an attribute path/],
    ['colon without urn', 'x:y', /does not start with a "urn:"/],
    ['bad filter inside', 'members[value eq]', /expected a value/],
    ['too long', 'a'.repeat(MAX_FILTER_LENGTH + 1), /longer than 4096/],
  ];
  for (const [name, input, detail] of bad) {
    test(`rejects: ${name}`, () => {
      const r = parsePatchPath(input);
      assert.equal(r.ok, false, `parsed: ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.equal(r.error.code, 'invalid_path');
      assert.match(r.error.detail, detail);
    });
  }
});
