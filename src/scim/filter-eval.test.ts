import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFilter } from './filter-eval.js';
import { parseFilter } from './filter-parser.js';
import { COMMON_ATTRIBUTES, USER_SCHEMA } from './schemas.js';
import { URN } from './urns.js';
import type { AttributeDefinition, Filter, JsonObject, ResourceTypeName } from './types.js';

const ENT = URN.enterpriseUser;

const user: JsonObject = {
  schemas: [URN.user, ENT],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Ext-1',
  userName: 'BJensen@example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs Jensen',
  title: '',
  nickName: null,
  active: true,
  loginCount: 5,
  emails: [
    { value: 'bjensen@Example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
  addresses: [],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"a330bc54f0671c9"',
  },
  [ENT]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
};

const group: JsonObject = {
  schemas: [URN.group],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Engineering',
  members: [
    { value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen', type: 'User' },
    { value: 'abc', type: 'Group' },
  ],
};

function parse(text: string): Filter {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.detail}`);
  return r.value;
}

const byName = (defs: AttributeDefinition[], name: string): AttributeDefinition => defs.find((d) => d.name === name)!;

describe('matchesFilter on a User', () => {
  const cases: Array<[string, string, boolean]> = [
    // eq and case sensitivity (RFC 7644 §3.4.2.2: caseExact decides)
    ['eq, caseExact false', 'userName eq "bjensen@EXAMPLE.com"', true],
    ['attribute names are case-insensitive', 'USERNAME eq "bjensen@example.com"', true],
    ['eq mismatch', 'userName eq "jsmith@example.com"', false],
    ['id is caseExact', 'id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['id exact match', 'id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['externalId is caseExact', 'externalId eq "ext-1"', false],
    ['externalId exact match', 'externalId eq "Ext-1"', true],
    ['meta.version is caseExact', 'meta.version eq "w/\\"A330BC54F0671C9\\""', false],
    ['sub-attribute', 'name.givenName eq "barbara"', true],
    // ne
    ['ne on a different value', 'userName ne "x"', true],
    ['ne on an equal value', 'userName ne "BJENSEN@example.com"', false],
    ['ne on an absent attribute', 'timezone ne "Europe/Paris"', true],
    // co sw ew
    ['co', 'userName co "JENSEN"', true],
    ['sw', 'userName sw "bj"', true],
    ['ew', 'userName ew ".COM"', true],
    ['sw mismatch', 'userName sw "jensen"', false],
    ['co on a number', 'loginCount co "5"', false],
    // pr
    ['pr on a value', 'userName pr', true],
    ['pr on an empty string', 'title pr', false],
    ['pr on null', 'nickName pr', false],
    ['pr on an empty array', 'addresses pr', false],
    ['pr on an absent attribute', 'timezone pr', false],
    ['pr on a complex value', 'name pr', true],
    ['pr on a multi-valued complex', 'emails pr', true],
    ['pr on a boolean', 'active pr', true],
    // null (RFC 7643 §2.5: null and unassigned are the same state)
    ['eq null on null', 'nickName eq null', true],
    ['eq null on absent', 'timezone eq null', true],
    ['eq null on a value', 'userName eq null', false],
    ['ne null on a value', 'userName ne null', true],
    ['ne null on empty string', 'title ne null', false],
    // multi-valued attributes: any value may match
    ['multi-valued sub-attribute', 'emails.type eq "home"', true],
    ['multi-valued sub-attribute co', 'emails.value co "jensen.org"', true],
    ['complex multi-valued without sub compares value', 'emails co "example.com"', true],
    ['complex multi-valued without sub, no match', 'emails co "nowhere"', false],
    ['phoneNumbers eq value', 'phoneNumbers eq "555-555-5555"', true],
    ['multi-valued ne: no value equals', 'emails.type ne "work"', false],
    // value paths: one element must satisfy the whole inner filter
    ['value path match', 'emails[type eq "work" and value co "@example.com"]', true],
    ['value path conditions must hold on one element', 'emails[type eq "home" and value co "@example.com"]', false],
    ['value path boolean', 'emails[primary eq true]', true],
    ['value path not', 'emails[not (type eq "work")]', true],
    ['value path paths are relative', 'emails[userName pr]', false],
    ['value path on an empty attribute', 'addresses[type eq "work"]', false],
    ['URN-prefixed value path', `${URN.user}:emails[type eq "work"]`, true],
    // booleans
    ['active eq true', 'active eq true', true],
    ['active eq FALSE', 'active eq FALSE', false],
    ['boolean vs string', 'active eq "true"', false],
    // ordering
    ['dateTime gt', 'meta.lastModified gt "2011-05-13T04:42:33Z"', true],
    ['dateTime gt equal instant', 'meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['dateTime ge equal instant', 'meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['dateTime compares instants, not text (eq)', 'meta.created eq "2010-01-23T05:56:22+01:00"', true],
    ['dateTime compares instants, not text (lt)', 'meta.created lt "2010-01-23T05:56:22+01:00"', false],
    ['dateTime le with fractional seconds', 'meta.created le "2010-01-23T04:56:22.001Z"', true],
    ['string gt, case-insensitive', 'userName gt "B"', true],
    ['string lt, case-insensitive', 'userName lt "C"', true],
    ['string ge equal', 'displayName ge "babs jensen"', true],
    ['string le', 'displayName le "a"', false],
    ['number gt', 'loginCount gt 3', true],
    ['number eq', 'loginCount eq 5', true],
    ['number le', 'loginCount le 4', false],
    ['number vs string', 'loginCount eq "5"', false],
    ['binary gt', 'x509Certificates.value gt "A"', false],
    // extension attributes
    ['extension by URN', `${ENT}:department eq "tour operations"`, true],
    ['extension without URN', 'department eq "Tour Operations"', true],
    ['extension sub-attribute', `${ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['extension URN in another case', `${ENT.toUpperCase()}:employeeNumber eq "701984"`, true],
    ['extension complex without sub compares value', `${ENT}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['whole extension present', `${ENT} pr`, true],
    ['core URN prefix', `${URN.user}:userName sw "bjensen"`, true],
    ['extension attribute is not top-level under core URN', `${URN.user}:department pr`, false],
    // logic and precedence
    ['or', 'userName eq "x" or active eq true', true],
    ['and', 'userName eq "x" and active eq true', false],
    ['not', 'not (userName eq "x")', true],
    ['precedence: and before or', 'userName eq "x" and title pr or active eq true', true],
    ['precedence: or of and', 'active eq true or userName eq "x" and title pr', true],
    ['parentheses', '(active eq true or userName eq "x") and title pr', false],
    ['not of a value path', 'not (emails[type eq "other"])', true],
    // what the IdPs send
    ['Okta userName lookup', 'userName eq "bjensen@example.com"', true],
    ['Entra externalId lookup', 'externalId eq "Ext-1"', true],
  ];
  for (const [name, text, expected] of cases) {
    test(`${name}: ${text}`, () => assert.equal(matchesFilter('User', user, parse(text)), expected));
  }

  test('gt on a boolean attribute is false', () => {
    assert.equal(matchesFilter('User', user, { op: 'gt', path: { attr: 'active' }, value: 'a' }), false);
    assert.equal(matchesFilter('User', user, { op: 'lt', path: { attr: 'active' }, value: true }), false);
  });

  test('pr on an empty object', () => {
    assert.equal(matchesFilter('User', { name: {} }, parse('name pr')), false);
    assert.equal(matchesFilter('User', { name: { givenName: null } }, parse('name pr')), false);
  });

  test('an exact-case key wins over a case-folded one', () => {
    assert.equal(matchesFilter('User', { userName: 'a', USERNAME: 'b' }, parse('userName eq "a"')), true);
    assert.equal(matchesFilter('User', { username: 'a' }, parse('userName eq "A"')), true);
  });
});

describe('matchesFilter on a Group', () => {
  const cases: Array<[string, string, boolean]> = [
    ['Okta displayName lookup', 'displayName eq "engineering"', true],
    ['member by value path', 'members[value eq "abc"]', true],
    ['member by type', 'members[type eq "Group" and value eq "abc"]', true],
    ['member sub-attribute', 'members.value eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['member missing', 'members[value eq "nope"]', false],
    ['User-only attribute', 'userName pr', false],
  ];
  for (const [name, text, expected] of cases) {
    test(`${name}: ${text}`, () => assert.equal(matchesFilter('Group', group, parse(text)), expected));
  }
});

describe('matchesFilter relative to a complex attribute (PATCH value paths)', () => {
  const emails = byName(USER_SCHEMA.attributes, 'emails');
  const meta = byName(COMMON_ATTRIBUTES, 'meta');
  const cases: Array<[string, ResourceTypeName, JsonObject, string, AttributeDefinition | undefined, boolean]> = [
    ['email type, case-insensitive', 'User', { type: 'work', value: 'x@y.com' }, 'type eq "WORK"', emails, true],
    ['email compound', 'User', { type: 'work', value: 'x@y.com' }, 'type eq "work" and value ew "@Y.COM"', emails, true],
    ['email primary', 'User', { type: 'home', primary: false }, 'primary eq true', emails, false],
    ['caseExact sub-attribute', 'User', { version: 'W/"a"' }, 'version eq "w/\\"a\\""', meta, false],
    ['caseExact sub-attribute, exact', 'User', { version: 'W/"a"' }, 'version eq "W/\\"a\\""', meta, true],
    ['dateTime sub-attribute', 'User', { created: '2020-01-01T00:00:00Z' }, 'created lt "2020-01-01T01:00:00+00:30"', meta, true],
    ['unknown sub-attribute, case-insensitive', 'Group', { Value: 'ABC' }, 'value eq "abc"', undefined, true],
  ];
  for (const [name, rt, element, text, def, expected] of cases) {
    test(name, () => assert.equal(matchesFilter(rt, element, parse(text), def), expected));
  }
});
