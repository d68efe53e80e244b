import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileFromAssertion, type SamlProfile } from './profile.js';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

test('profileFromAssertion', () => {
  const cases: { name: string; nameId: string; attributes: Record<string, string[]>; expected: Omit<SamlProfile, 'attributes' | 'subject'> }[] = [
    {
      name: 'Okta default attribute statements',
      nameId: 'ada@example.com',
      attributes: { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['Engineering', 'Everyone'] },
      expected: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace', groups: ['Engineering', 'Everyone'] },
    },
    {
      name: 'Entra ID claim URIs, persistent NameID',
      nameId: 'n3VY8LpqT0-Hq2dTgX1xWmO8rZ5C6b4',
      attributes: {
        [`${CLAIMS}emailaddress`]: ['ada@contoso.com'],
        [`${CLAIMS}givenname`]: ['Ada'],
        [`${CLAIMS}surname`]: ['Lovelace'],
        'http://schemas.microsoft.com/identity/claims/displayname': ['Ada L.'],
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['g-1', 'g-2'],
      },
      expected: { email: 'ada@contoso.com', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada L.', groups: ['g-1', 'g-2'] },
    },
    {
      name: 'LDAP-style names (mail, givenName, sn, memberOf), matched case-insensitively',
      nameId: 'ada',
      attributes: { Mail: ['ada@example.org'], givenname: ['Ada'], SN: ['Lovelace'], memberOf: ['cn=eng,dc=example', 'cn=eng,dc=example'] },
      expected: { email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace', groups: ['cn=eng,dc=example'] },
    },
    {
      name: 'no email attribute: the NameID is used when it looks like an email',
      nameId: 'ada@example.com',
      attributes: {},
      expected: { email: 'ada@example.com', firstName: null, lastName: null, displayName: null, groups: [] },
    },
    {
      name: 'no email anywhere',
      nameId: 'S-1-5-21-1004',
      attributes: { email: ['not an email'], groups: [''] },
      expected: { email: null, firstName: null, lastName: null, displayName: null, groups: [] },
    },
    {
      name: 'values are trimmed; the first usable email wins',
      nameId: 'x',
      attributes: { email: ['  '], mail: [' ada@example.com '], firstName: [' Ada '] },
      expected: { email: 'ada@example.com', firstName: 'Ada', lastName: null, displayName: 'Ada', groups: [] },
    },
  ];
  for (const c of cases) {
    const p = profileFromAssertion({ nameId: c.nameId, attributes: c.attributes });
    assert.deepEqual({ ...p, attributes: undefined, subject: undefined }, { ...c.expected, attributes: undefined, subject: undefined }, c.name);
    assert.equal(p.subject, c.nameId, c.name);
    assert.equal(p.attributes, c.attributes, c.name);
  }
});
