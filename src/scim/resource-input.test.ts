import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeGroupInput, normalizeUserInput } from './resource-input.js';
import { URN } from './urns.js';
import type { ErrorCode } from '../domain/errors.js';
import type { JsonObject } from './types.js';

const ENT = URN.enterpriseUser;

function user(body: unknown): JsonObject {
  const r = normalizeUserInput(body);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.detail}`);
  return r.value;
}

describe('normalizeUserInput: what Okta and Entra POST', () => {
  test('Okta creates a user', () => {
    const out = user({
      schemas: [URN.user],
      userName: 'ann@x.com',
      name: { givenName: 'Ann', familyName: 'Lee' },
      emails: [{ primary: true, value: 'ann@x.com', type: 'work' }],
      displayName: 'Ann Lee',
      locale: 'en-US',
      externalId: '00u1',
      groups: [],
      password: 'hunter2',
      active: true,
    });
    assert.deepEqual(out, {
      schemas: [URN.user],
      userName: 'ann@x.com',
      name: { givenName: 'Ann', familyName: 'Lee' },
      emails: [{ primary: true, value: 'ann@x.com', type: 'work' }],
      displayName: 'Ann Lee',
      locale: 'en-US',
      externalId: '00u1',
      active: true,
    });
  });

  test('Entra creates a user with the enterprise extension and "True" as a string', () => {
    const out = user({
      schemas: [URN.user, ENT],
      externalId: 'ann',
      userName: 'ann@x.com',
      active: 'True',
      emails: [{ primary: true, type: 'work', value: 'ann@x.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Ann Lee', familyName: 'Lee', givenName: 'Ann' },
      roles: [],
      [ENT]: { department: 'Sales', manager: 'mgr-id' },
    });
    assert.equal(out.active, true);
    assert.equal(out.meta, undefined);
    assert.equal(out.roles, undefined, 'an empty list is unassigned (RFC 7643 §2.5)');
    assert.deepEqual(out[ENT], { department: 'Sales', manager: { value: 'mgr-id' } });
    assert.deepEqual(out.schemas, [URN.user, ENT]);
  });

  test('schemas may be missing, and is rebuilt from the extensions actually present', () => {
    assert.deepEqual(user({ userName: 'a' }), { schemas: [URN.user], userName: 'a' });
    assert.deepEqual(user({ schemas: [URN.user, ENT], userName: 'a' }).schemas, [URN.user]);
    assert.deepEqual(user({ userName: 'a', [ENT]: { department: 'D' } }).schemas, [URN.user, ENT]);
  });

  test('names are canonicalized to the schema case', () => {
    assert.deepEqual(user({ UserName: 'a', Emails: [{ Value: 'a@x.com', Primary: 'true' }], NAME: { givenname: 'A' } }), {
      schemas: [URN.user],
      userName: 'a',
      emails: [{ value: 'a@x.com', primary: true }],
      name: { givenName: 'A' },
    });
  });

  test('readOnly attributes (id, meta, groups) are ignored (RFC 7644 §3.5.1)', () => {
    const out = user({ id: 'client-chosen', userName: 'a', meta: { version: 'W/"1"' }, groups: [{ value: 'g' }] });
    assert.deepEqual(out, { schemas: [URN.user], userName: 'a' });
  });

  test('unknown extension URN objects are kept as sent', () => {
    const out = user({ userName: 'a', 'urn:okta:custom:1.0:User': { badge: 7, tags: ['x'] } });
    assert.deepEqual(out['urn:okta:custom:1.0:User'], { badge: 7, tags: ['x'] });
    assert.deepEqual(out.schemas, [URN.user, 'urn:okta:custom:1.0:User']);
  });

  test('URN-qualified and dotted keys are accepted as Entra sends them in PATCH', () => {
    const out = user({ userName: 'a', [`${ENT}:department`]: 'Sales', 'name.givenName': 'Ann' });
    assert.deepEqual(out[ENT], { department: 'Sales' });
    assert.deepEqual(out.name, { givenName: 'Ann' });
  });

  test('unknown core attributes are dropped', () => {
    assert.deepEqual(user({ userName: 'a', shoeSize: 9 }), { schemas: [URN.user], userName: 'a' });
  });

  test('userName is kept as sent (not trimmed)', () => {
    assert.equal(user({ userName: ' a ' }).userName, ' a ');
  });
});

describe('normalizeUserInput: refusals', () => {
  const cases: Array<[string, unknown, ErrorCode, RegExp]> = [
    ['an array body', [], 'invalid_syntax', /object/],
    ['a string body', 'x', 'invalid_syntax', /object/],
    ['schemas that is not an array', { schemas: URN.user, userName: 'a' }, 'invalid_syntax', /schemas/],
    ['schemas with a non-string', { schemas: [1], userName: 'a' }, 'invalid_syntax', /schemas/],
    ['no userName', { name: { givenName: 'A' } }, 'invalid_value', /userName/],
    ['a blank userName', { userName: '   ' }, 'invalid_value', /userName/],
    ['a non-string userName', { userName: 42 }, 'invalid_value', /userName/],
    ['a non-boolean active', { userName: 'a', active: 'sometimes' }, 'invalid_value', /active/],
    ['emails that are strings', { userName: 'a', emails: ['a@x.com'] }, 'invalid_value', /emails/],
    ['an enterprise extension that is not an object', { userName: 'a', [ENT]: 'Sales' }, 'invalid_value', new RegExp(ENT)],
    ['a manager that is a number', { userName: 'a', [ENT]: { manager: 7 } }, 'invalid_value', /manager/],
  ];
  for (const [name, body, code, detail] of cases) {
    test(`${name} → ${code}`, () => {
      const r = normalizeUserInput(body);
      assert.ok(!r.ok);
      assert.equal(r.error.code, code);
      assert.match(r.error.detail, detail);
    });
  }
});

describe('normalizeGroupInput', () => {
  test('Okta creates a group without members', () => {
    const r = normalizeGroupInput({ schemas: [URN.group], displayName: 'Eng', members: [] });
    assert.deepEqual(r, { ok: true, value: { resource: { schemas: [URN.group], displayName: 'Eng' }, members: [] } });
  });

  test('Entra creates a group with externalId; members absent stays undefined', () => {
    const r = normalizeGroupInput({ schemas: [URN.group], externalId: 'e1', displayName: 'Eng', meta: { resourceType: 'Group' } });
    assert.deepEqual(r, { ok: true, value: { resource: { schemas: [URN.group], externalId: 'e1', displayName: 'Eng' }, members: undefined } });
  });

  test('members are returned as deduplicated ids and removed from the resource', () => {
    const r = normalizeGroupInput({
      id: 'g-client',
      displayName: 'Eng',
      members: [{ value: 'u1', display: 'a@x.com' }, { value: 'u2', $ref: 'https://x/Users/u2' }, { value: 'u1' }],
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { resource: { schemas: [URN.group], displayName: 'Eng' }, members: ['u1', 'u2'] });
  });

  test('members: null means no members', () => {
    const r = normalizeGroupInput({ displayName: 'Eng', Members: null });
    assert.ok(r.ok);
    assert.deepEqual(r.value.members, []);
  });

  const refusals: Array<[string, unknown, ErrorCode, RegExp]> = [
    ['a non-object body', null, 'invalid_syntax', /object/],
    ['no displayName', { members: [] }, 'invalid_value', /displayName/],
    ['a member without a value', { displayName: 'Eng', members: [{ display: 'x' }] }, 'invalid_value', /value/],
    ['a member given as a bare id', { displayName: 'Eng', members: ['u1'] }, 'invalid_value', /value/],
  ];
  for (const [name, body, code, detail] of refusals) {
    test(`${name} → ${code}`, () => {
      const r = normalizeGroupInput(body);
      assert.ok(!r.ok);
      assert.equal(r.error.code, code);
      assert.match(r.error.detail, detail);
    });
  }
});
