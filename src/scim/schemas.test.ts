import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_SCHEMAS,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_SCHEMAS,
  USER_SCHEMA,
  findSubAttribute,
  isExtensionUrn,
  resolveAttribute,
} from './schemas.js';
import { URN } from './urns.js';
import type { AttrPath, AttributeDefinition, ResourceTypeName } from './types.js';

const ENT = URN.enterpriseUser;
const byName = (defs: AttributeDefinition[], name: string): AttributeDefinition => {
  const d = defs.find((a) => a.name === name);
  assert.ok(d, `missing attribute ${name}`);
  return d;
};

function checkDefinition(def: AttributeDefinition, where: string): void {
  for (const key of ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'] as const) {
    assert.notEqual(def[key], undefined, `${where}.${def.name} lacks ${key}`);
  }
  assert.equal(def.type === 'complex', def.subAttributes !== undefined, `${where}.${def.name}: subAttributes iff complex`);
  if (def.subAttributes) {
    const names = def.subAttributes.map((s) => s.name.toLowerCase());
    assert.equal(new Set(names).size, names.length, `${where}.${def.name} has duplicate sub-attributes`);
    for (const sub of def.subAttributes) {
      assert.notEqual(sub.type, 'complex', 'RFC 7643 §2.3.8: complex attributes cannot nest');
      checkDefinition(sub, `${where}.${def.name}`);
    }
  }
}

describe('schema definitions', () => {
  test('every schema is well formed, with unique attribute names', () => {
    for (const schema of [...ALL_SCHEMAS, { id: 'common', name: 'common', description: '', attributes: COMMON_ATTRIBUTES }]) {
      const names = schema.attributes.map((a) => a.name.toLowerCase());
      assert.equal(new Set(names).size, names.length, `${schema.id} has duplicate names`);
      for (const def of schema.attributes) checkDefinition(def, schema.id);
    }
  });

  test('schema ids are the RFC 7643 URNs', () => {
    assert.deepEqual(ALL_SCHEMAS.map((s) => s.id), [URN.user, URN.enterpriseUser, URN.group]);
  });

  test('User carries the full RFC 7643 §8.7.1 attribute list', () => {
    assert.deepEqual(USER_SCHEMA.attributes.map((a) => a.name), [
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage',
      'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses',
      'groups', 'entitlements', 'roles', 'x509Certificates',
    ]);
    assert.deepEqual(byName(USER_SCHEMA.attributes, 'name').subAttributes?.map((a) => a.name), [
      'formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix',
    ]);
    assert.deepEqual(byName(USER_SCHEMA.attributes, 'addresses').subAttributes?.map((a) => a.name), [
      'formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary',
    ]);
    for (const name of ['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates']) {
      const def = byName(USER_SCHEMA.attributes, name);
      assert.equal(def.multiValued, true, name);
      assert.deepEqual(def.subAttributes?.map((a) => a.name), ['value', 'display', 'type', 'primary'], name);
    }
  });

  const characteristics: Array<[string, AttributeDefinition, Partial<AttributeDefinition>]> = [
    ['userName', byName(USER_SCHEMA.attributes, 'userName'), { required: true, caseExact: false, uniqueness: 'server' }],
    ['password', byName(USER_SCHEMA.attributes, 'password'), { mutability: 'writeOnly', returned: 'never' }],
    ['active', byName(USER_SCHEMA.attributes, 'active'), { type: 'boolean' }],
    ['groups', byName(USER_SCHEMA.attributes, 'groups'), { mutability: 'readOnly', multiValued: true }],
    ['x509Certificates.value', byName(byName(USER_SCHEMA.attributes, 'x509Certificates').subAttributes!, 'value'), { type: 'binary' }],
    ['id', byName(COMMON_ATTRIBUTES, 'id'), { caseExact: true, mutability: 'readOnly', returned: 'always' }],
    ['externalId', byName(COMMON_ATTRIBUTES, 'externalId'), { caseExact: true, mutability: 'readWrite' }],
    ['meta', byName(COMMON_ATTRIBUTES, 'meta'), { type: 'complex', mutability: 'readOnly' }],
    ['Group displayName', byName(GROUP_SCHEMA.attributes, 'displayName'), { required: true }],
    ['Group members', byName(GROUP_SCHEMA.attributes, 'members'), { multiValued: true, type: 'complex' }],
    ['members.value', byName(byName(GROUP_SCHEMA.attributes, 'members').subAttributes!, 'value'), { mutability: 'immutable' }],
    ['manager.displayName', byName(byName(ENTERPRISE_USER_SCHEMA.attributes, 'manager').subAttributes!, 'displayName'), { mutability: 'readOnly' }],
  ];
  for (const [name, def, expected] of characteristics) {
    test(`characteristics of ${name}`, () => {
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(def[k as keyof AttributeDefinition], v, `${name}.${k}`);
    });
  }

  test('meta has the five RFC 7643 §3.1 sub-attributes', () => {
    assert.deepEqual(byName(COMMON_ATTRIBUTES, 'meta').subAttributes?.map((a) => a.name), [
      'resourceType', 'created', 'lastModified', 'location', 'version',
    ]);
  });

  test('enterprise and group attribute lists', () => {
    assert.deepEqual(ENTERPRISE_USER_SCHEMA.attributes.map((a) => a.name), [
      'employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager',
    ]);
    assert.deepEqual(byName(ENTERPRISE_USER_SCHEMA.attributes, 'manager').subAttributes?.map((a) => a.name), ['value', '$ref', 'displayName']);
    assert.deepEqual(byName(GROUP_SCHEMA.attributes, 'members').subAttributes?.map((a) => a.name), ['value', '$ref', 'display', 'type']);
  });

  test('RESOURCE_SCHEMAS wires the enterprise extension to User only', () => {
    assert.equal(RESOURCE_SCHEMAS.User.core, USER_SCHEMA);
    assert.deepEqual(RESOURCE_SCHEMAS.User.extensions, [ENTERPRISE_USER_SCHEMA]);
    assert.equal(RESOURCE_SCHEMAS.Group.core, GROUP_SCHEMA);
    assert.deepEqual(RESOURCE_SCHEMAS.Group.extensions, []);
  });
});

describe('resolveAttribute', () => {
  const cases: Array<[string, ResourceTypeName, AttrPath, { schema: string; def: string; subDef?: string } | undefined]> = [
    ['core attribute, any case', 'User', { attr: 'USERNAME' }, { schema: URN.user, def: 'userName' }],
    ['sub-attribute, any case', 'User', { attr: 'name', sub: 'GIVENNAME' }, { schema: URN.user, def: 'name', subDef: 'givenName' }],
    ['multi-valued sub-attribute', 'User', { attr: 'emails', sub: 'value' }, { schema: URN.user, def: 'emails', subDef: 'value' }],
    ['common id', 'User', { attr: 'id' }, { schema: URN.user, def: 'id' }],
    ['common meta.lastModified', 'Group', { attr: 'meta', sub: 'lastModified' }, { schema: URN.group, def: 'meta', subDef: 'lastModified' }],
    ['core URN prefix', 'User', { uri: URN.user, attr: 'userName' }, { schema: URN.user, def: 'userName' }],
    ['core URN prefix on a common attribute', 'User', { uri: URN.user, attr: 'externalId' }, { schema: URN.user, def: 'externalId' }],
    ['extension URN prefix', 'User', { uri: ENT, attr: 'department' }, { schema: ENT, def: 'department' }],
    ['extension URN compared case-insensitively', 'User', { uri: ENT.toUpperCase(), attr: 'manager', sub: 'displayName' }, { schema: ENT, def: 'manager', subDef: 'displayName' }],
    ['extension attribute without prefix', 'User', { attr: 'employeeNumber' }, { schema: ENT, def: 'employeeNumber' }],
    ['$ref sub-attribute', 'Group', { attr: 'members', sub: '$ref' }, { schema: URN.group, def: 'members', subDef: '$ref' }],
    ['Group displayName', 'Group', { attr: 'displayname' }, { schema: URN.group, def: 'displayName' }],
    ['extension attribute under the core URN', 'User', { uri: URN.user, attr: 'department' }, undefined],
    ['core attribute under the extension URN', 'User', { uri: ENT, attr: 'userName' }, undefined],
    ['unknown URN', 'User', { uri: 'urn:example:unknown', attr: 'userName' }, undefined],
    ['unknown attribute', 'User', { attr: 'shoeSize' }, undefined],
    ['unknown sub-attribute', 'User', { attr: 'name', sub: 'nickname' }, undefined],
    ['sub-attribute of a simple attribute', 'User', { attr: 'userName', sub: 'value' }, undefined],
    ['enterprise attribute on Group', 'Group', { attr: 'department' }, undefined],
    ['User attribute on Group', 'Group', { attr: 'userName' }, undefined],
  ];
  for (const [name, rt, path, expected] of cases) {
    test(name, () => {
      const r = resolveAttribute(rt, path);
      if (expected === undefined) return assert.equal(r, undefined);
      assert.ok(r);
      assert.deepEqual({ schema: r.schema, def: r.def.name, ...(r.subDef ? { subDef: r.subDef.name } : {}) }, expected);
    });
  }
});

describe('helpers', () => {
  test('findSubAttribute is case-insensitive', () => {
    const emails = byName(USER_SCHEMA.attributes, 'emails');
    assert.equal(findSubAttribute(emails, 'PRIMARY')?.name, 'primary');
    assert.equal(findSubAttribute(emails, 'nope'), undefined);
    assert.equal(findSubAttribute(byName(USER_SCHEMA.attributes, 'userName'), 'value'), undefined);
  });

  const urnCases: Array<[ResourceTypeName, string, boolean]> = [
    ['User', ENT, true],
    ['User', ENT.toLowerCase(), true],
    ['User', URN.user, false],
    ['User', 'urn:example:other', false],
    ['Group', ENT, false],
    ['Group', URN.group, false],
  ];
  for (const [rt, key, expected] of urnCases) {
    test(`isExtensionUrn(${rt}, ${key}) is ${expected}`, () => assert.equal(isExtensionUrn(rt, key), expected));
  }
});
