import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from './patch-apply.js';
import { parsePatchRequest } from './patch-request.js';
import { URN } from './urns.js';
import type { ErrorCode } from '../domain/errors.js';
import type { JsonObject, PatchOperation, ResourceTypeName } from './types.js';

const ENT = URN.enterpriseUser;

function ops(...raw: unknown[]): PatchOperation[] {
  const r = parsePatchRequest({ schemas: [URN.patchOp], Operations: raw });
  assert.ok(r.ok, r.ok ? '' : r.error.detail);
  return r.value;
}

const user = (): JsonObject => ({
  schemas: [URN.user, ENT],
  id: 'u1',
  userName: 'ann@x.com',
  name: { givenName: 'Ann', familyName: 'Lee' },
  active: true,
  emails: [
    { value: 'ann@x.com', type: 'work', primary: true },
    { value: 'ann@home.com', type: 'home' },
  ],
  [ENT]: { department: 'Eng', manager: { value: 'm0', displayName: 'Old Boss' } },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z' },
});

const group = (): JsonObject => ({ schemas: [URN.group], id: 'g1', displayName: 'Eng', externalId: 'e1' });

function patched(resource: JsonObject, input: PatchOperation[], type: ResourceTypeName = 'User'): JsonObject {
  const r = applyPatch(type, resource, input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.detail}`);
  return r.value;
}

function fails(resource: JsonObject, input: PatchOperation[], code: ErrorCode, detail?: RegExp, type: ResourceTypeName = 'User'): void {
  const r = applyPatch(type, resource, input);
  assert.ok(!r.ok, 'expected the patch to fail');
  assert.equal(r.error.code, code, r.error.detail);
  if (detail) assert.match(r.error.detail, detail);
}

describe('applyPatch: Okta', () => {
  test('Okta deactivates with PATCH replace active=false', () => {
    const r = parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.ok(r.ok);
    assert.equal(patched(user(), r.value).active, false);
  });

  test('Okta renames a group with path-less replace carrying id', () => {
    const out = patched(group(), ops({ op: 'replace', value: { id: 'g1', displayName: 'New' } }), 'Group');
    assert.deepEqual(out, { schemas: [URN.group], id: 'g1', displayName: 'New', externalId: 'e1' });
  });

  test('a path-less replace carrying a different id is refused', () => {
    fails(group(), ops({ op: 'replace', value: { id: 'other', displayName: 'New' } }), 'mutability', /id/, 'Group');
  });

  test('Okta updates the profile with a path-less replace of several attributes', () => {
    const out = patched(
      user(),
      ops({ op: 'replace', value: { name: { givenName: 'Anne' }, title: 'CTO', emails: [{ value: 'anne@x.com', type: 'work', primary: true }] } }),
    );
    assert.deepEqual(out.name, { givenName: 'Anne', familyName: 'Lee' }, 'RFC 7644 §3.5.2.3: unnamed sub-attributes stay');
    assert.equal(out.title, 'CTO');
    assert.deepEqual(out.emails, [{ value: 'anne@x.com', type: 'work', primary: true }], 'replace of a multi-valued attribute replaces the list');
  });
});

describe('applyPatch: Entra', () => {
  test('Entra deactivates with "False" as a string', () => {
    assert.equal(patched(user(), ops({ op: 'Replace', path: 'active', value: 'False' })).active, false);
  });

  test('Entra reactivates with "True" inside a path-less value', () => {
    const inactive = { ...user(), active: false };
    assert.equal(patched(inactive, ops({ op: 'Replace', value: { active: 'True' } })).active, true);
  });

  test('Entra replaces manager with a plain string', () => {
    const out = patched(user(), ops({ op: 'Replace', path: `${ENT}:manager`, value: 'mgr-id' }));
    assert.deepEqual((out[ENT] as JsonObject).manager, { value: 'mgr-id' }, 'the old displayName goes with the old manager');
  });

  test('Entra adds manager as {"value": id}', () => {
    const out = patched({ ...user(), [ENT]: {} }, ops({ op: 'Add', path: `${ENT}:manager`, value: { value: 'm2' } }));
    assert.deepEqual(out[ENT], { manager: { value: 'm2' } });
    assert.deepEqual(out.schemas, [URN.user, ENT]);
  });

  test('Entra adds a work email through a value filter when there is none', () => {
    const noWork = { ...user(), emails: [{ value: 'ann@home.com', type: 'home' }] };
    const out = patched(noWork, ops({ op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x.com' }));
    assert.deepEqual(out.emails, [
      { value: 'ann@home.com', type: 'home' },
      { type: 'work', value: 'a@x.com' },
    ]);
  });

  test('Entra adds a work email through a value filter when there is one: it is updated', () => {
    const out = patched(user(), ops({ op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x.com' }));
    assert.deepEqual(out.emails, [
      { value: 'a@x.com', type: 'work', primary: true },
      { value: 'ann@home.com', type: 'home' },
    ]);
  });

  test('Entra sends URN-qualified and dotted keys in a path-less add', () => {
    const out = patched(user(), ops({ op: 'Add', value: { [`${ENT}:department`]: 'Sales', 'name.givenName': 'Ann' } }));
    assert.equal((out[ENT] as JsonObject).department, 'Sales');
    assert.deepEqual(out.name, { givenName: 'Ann', familyName: 'Lee' });
  });

  test('Entra adds enterprise attributes to a user that has none', () => {
    const plain: JsonObject = { schemas: [URN.user], id: 'u2', userName: 'bo@x.com' };
    const out = patched(plain, ops({ op: 'Add', value: { [`${ENT}:department`]: 'Sales', [`${ENT}:employeeNumber`]: '42' } }));
    assert.deepEqual(out, { schemas: [URN.user, ENT], id: 'u2', userName: 'bo@x.com', [ENT]: { department: 'Sales', employeeNumber: '42' } });
  });

  test('Entra replaces the whole enterprise extension through its URN path', () => {
    const out = patched(user(), ops({ op: 'Replace', path: ENT, value: { department: 'Ops', costCenter: 'C1' } }));
    assert.deepEqual(out[ENT], { department: 'Ops', manager: { value: 'm0', displayName: 'Old Boss' }, costCenter: 'C1' });
  });

  test('Entra removes the manager', () => {
    const out = patched(user(), ops({ op: 'Remove', path: `${ENT}:manager` }));
    assert.deepEqual(out[ENT], { department: 'Eng' });
  });
});

describe('applyPatch: RFC 7644 §3.5.2 semantics', () => {
  const cases: Array<[string, unknown[], (out: JsonObject) => void]> = [
    ['add a simple attribute', [{ op: 'add', path: 'title', value: 'CTO' }], (o) => assert.equal(o.title, 'CTO')],
    ['replace a simple attribute', [{ op: 'replace', path: 'userName', value: 'ann2@x.com' }], (o) => assert.equal(o.userName, 'ann2@x.com')],
    ['add a sub-attribute', [{ op: 'add', path: 'name.middleName', value: 'Q' }], (o) => assert.deepEqual(o.name, { givenName: 'Ann', familyName: 'Lee', middleName: 'Q' })],
    ['remove a sub-attribute', [{ op: 'remove', path: 'name.givenName' }], (o) => assert.deepEqual(o.name, { familyName: 'Lee' })],
    ['remove the last sub-attribute removes the attribute', [{ op: 'remove', path: 'name.givenName' }, { op: 'remove', path: 'name.familyName' }], (o) => assert.equal(o.name, undefined)],
    ['remove a whole attribute', [{ op: 'remove', path: 'emails' }], (o) => assert.equal(o.emails, undefined)],
    [
      'add to a multi-valued attribute appends values not already present',
      [{ op: 'add', path: 'emails', value: [{ value: 'ann@home.com', type: 'home' }, { value: 'n@x.com', type: 'other' }] }],
      (o) => assert.deepEqual(o.emails, [...(user().emails as JsonObject[]), { value: 'n@x.com', type: 'other' }]),
    ],
    [
      'adding a primary value takes primary from the others (RFC 7643 §2.4)',
      [{ op: 'add', path: 'emails', value: [{ value: 'n@x.com', type: 'other', primary: true }] }],
      (o) =>
        assert.deepEqual(o.emails, [
          { value: 'ann@x.com', type: 'work', primary: false },
          { value: 'ann@home.com', type: 'home' },
          { value: 'n@x.com', type: 'other', primary: true },
        ]),
    ],
    [
      're-adding an existing value as primary makes it primary',
      [{ op: 'add', path: 'emails', value: [{ value: 'ann@home.com', type: 'home', primary: true }] }],
      (o) =>
        assert.deepEqual(o.emails, [
          { value: 'ann@x.com', type: 'work', primary: false },
          { value: 'ann@home.com', type: 'home', primary: true },
        ]),
    ],
    [
      'replace with a filter sets the sub-attribute on matching values',
      [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'h@x.com' }],
      (o) => assert.deepEqual((o.emails as JsonObject[])[1], { value: 'h@x.com', type: 'home' }),
    ],
    [
      'replace with a filter and no sub-attribute merges into matching values',
      [{ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x.com', primary: true } }],
      (o) =>
        assert.deepEqual(o.emails, [
          { value: 'ann@x.com', type: 'work', primary: false },
          { value: 'h@x.com', type: 'home', primary: true },
        ]),
    ],
    [
      'remove with a filter removes matching values',
      [{ op: 'remove', path: 'emails[type eq "home"]' }],
      (o) => assert.deepEqual(o.emails, [{ value: 'ann@x.com', type: 'work', primary: true }]),
    ],
    ['removing every value unassigns the attribute', [{ op: 'remove', path: 'emails[type pr]' }], (o) => assert.equal(o.emails, undefined)],
    ['remove with a filter that matches nothing changes nothing', [{ op: 'remove', path: 'emails[type eq "other"]' }], (o) => assert.deepEqual(o.emails, user().emails)],
    [
      'remove a sub-attribute of filtered values',
      [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
      (o) => assert.deepEqual((o.emails as JsonObject[])[0], { value: 'ann@x.com', type: 'work' }),
    ],
    [
      'remove with a value list removes the listed values',
      [{ op: 'remove', path: 'emails', value: [{ value: 'ann@home.com' }] }],
      (o) => assert.deepEqual(o.emails, [{ value: 'ann@x.com', type: 'work', primary: true }]),
    ],
    ['replace with null unassigns (RFC 7643 §2.5)', [{ op: 'replace', path: 'title', value: null }, { op: 'replace', path: 'name', value: null }], (o) => {
      assert.equal(o.title, undefined);
      assert.equal(o.name, undefined);
    }],
    [
      'attribute names are canonicalized to the schema case',
      [{ op: 'replace', value: { UserName: 'A@x.com', NAME: { GIVENNAME: 'X' }, Emails: [{ Value: 'e@x.com', Type: 'work' }] } }],
      (o) => {
        assert.equal(o.userName, 'A@x.com');
        assert.deepEqual(o.name, { givenName: 'X', familyName: 'Lee' });
        assert.deepEqual(o.emails, [{ value: 'e@x.com', type: 'work' }]);
        assert.equal(Object.keys(o).some((k) => k !== k.replace(/^[A-Z]/, '')), false);
      },
    ],
    [
      'a path with different case targets the canonical attribute',
      [{ op: 'replace', path: 'DisplayName', value: 'Ann L' }],
      (o) => {
        assert.equal(o.displayName, 'Ann L');
        assert.equal(o.DisplayName, undefined);
      },
    ],
    ['an enterprise attribute without its URN prefix', [{ op: 'replace', path: 'department', value: 'Ops' }], (o) => assert.equal((o[ENT] as JsonObject).department, 'Ops')],
    ['password is dropped from a path op', [{ op: 'replace', path: 'password', value: 's3cret' }], (o) => assert.equal(o.password, undefined)],
    ['password is dropped from a path-less op', [{ op: 'replace', value: { password: 's3cret', title: 'T' } }], (o) => {
      assert.equal(o.password, undefined);
      assert.equal(o.title, 'T');
    }],
    ['manager.displayName sent by a client is ignored (readOnly, server-computed)', [{ op: 'replace', path: `${ENT}:manager`, value: { value: 'm9', displayName: 'X' } }], (o) =>
      assert.deepEqual((o[ENT] as JsonObject).manager, { value: 'm9' })],
    ['removing the last enterprise attribute drops the extension URN from schemas', [{ op: 'remove', path: ENT }], (o) => {
      assert.equal(o[ENT], undefined);
      assert.deepEqual(o.schemas, [URN.user]);
    }],
    ['unknown non-URN keys in a path-less value are ignored', [{ op: 'add', value: { favouriteColour: 'blue', title: 'T' } }], (o) => {
      assert.equal(o.favouriteColour, undefined);
      assert.equal(o.title, 'T');
    }],
  ];
  for (const [name, raw, check] of cases) test(name, () => check(patched(user(), ops(...raw))));
});

describe('applyPatch: custom extensions are stored as sent', () => {
  const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User';
  test('Okta sends a custom extension object in a path-less replace', () => {
    const out = patched(user(), ops({ op: 'replace', value: { 'urn:okta:custom:1.0:User': { badge: '7', floor: 3 } } }));
    assert.deepEqual(out['urn:okta:custom:1.0:User'], { badge: '7', floor: 3 });
    assert.deepEqual(out.schemas, [URN.user, ENT, 'urn:okta:custom:1.0:User']);
  });

  test('Entra sends a URN-qualified custom attribute path', () => {
    const out = patched(user(), ops({ op: 'Add', path: `${CUSTOM}:costCenter`, value: 'C9' }));
    assert.deepEqual(out[CUSTOM], { costCenter: 'C9' });
    const removed = patched(out, ops({ op: 'Remove', path: `${CUSTOM}:costCenter` }));
    assert.equal(removed[CUSTOM], undefined);
    assert.deepEqual(removed.schemas, [URN.user, ENT]);
  });

  test('Entra sends a URN-qualified custom attribute key in a path-less add', () => {
    const out = patched(user(), ops({ op: 'Add', value: { [`${CUSTOM}:costCenter`]: 'C9' } }));
    assert.deepEqual(out[CUSTOM], { costCenter: 'C9' });
  });
});

describe('applyPatch: refusals', () => {
  const cases: Array<[string, unknown[], ErrorCode, RegExp]> = [
    ['replace id', [{ op: 'replace', path: 'id', value: 'x' }], 'mutability', /id/],
    ['remove meta', [{ op: 'remove', path: 'meta' }], 'mutability', /meta/],
    ['add groups', [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }], 'mutability', /groups/],
    ['meta in a path-less value', [{ op: 'replace', value: { meta: { version: 'x' } } }], 'mutability', /meta/],
    ['replace manager.displayName', [{ op: 'replace', path: `${ENT}:manager.displayName`, value: 'X' }], 'mutability', /manager\.displayName/],
    ['an unknown attribute path', [{ op: 'add', path: 'favouriteColour', value: 'blue' }], 'invalid_path', /favouriteColour/],
    ['an unknown attribute of a known extension', [{ op: 'add', path: `${ENT}:shoeSize`, value: '9' }], 'invalid_path', /shoeSize/],
    ['an unknown sub-attribute', [{ op: 'add', path: 'name.nickname', value: 'x' }], 'invalid_path', /name/],
    ['a filter on a single-valued attribute', [{ op: 'replace', path: 'name[givenName eq "Ann"].familyName', value: 'x' }], 'invalid_path', /name/],
    ['replace with a filter that matches nothing', [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'x' }], 'no_target', /emails/],
    ['add with a non-eq filter that matches nothing', [{ op: 'add', path: 'emails[type co "oth"].value', value: 'x' }], 'no_target', /emails/],
    ['a string for a boolean', [{ op: 'replace', path: 'active', value: 'nope' }], 'invalid_value', /"active" must be a boolean/],
    ['a number for a string', [{ op: 'replace', path: 'title', value: 7 }], 'invalid_value', /"title" must be a string/],
    ['an object for a string', [{ op: 'replace', value: { displayName: { x: 1 } } }], 'invalid_value', /displayName/],
    ['a string for a complex attribute', [{ op: 'replace', path: 'name', value: 'Ann Lee' }], 'invalid_value', /"name" must be a complex value/],
    ['a bad sub-attribute type', [{ op: 'add', path: 'emails', value: [{ value: 'x@x.com', primary: 'maybe' }] }], 'invalid_value', /emails\.primary/],
    ['an array for a single-valued attribute', [{ op: 'replace', path: 'title', value: ['a'] }], 'invalid_value', /title/],
    ['removing the required userName', [{ op: 'remove', path: 'userName' }], 'invalid_value', /userName/],
    ['blanking userName', [{ op: 'replace', path: 'userName', value: '  ' }], 'invalid_value', /userName/],
    ['a path-less value that is not an object', [{ op: 'add', value: 'x' }], 'invalid_value', /object/],
    ['an extension value that is not an object', [{ op: 'add', value: { [ENT]: 'x' } }], 'invalid_value', new RegExp(ENT)],
  ];
  for (const [name, raw, code, detail] of cases) test(`${name} → ${code}`, () => fails(user(), ops(...raw), code, detail));

  test('group members never pass through applyPatch', () => {
    fails(group(), ops({ op: 'add', path: 'members', value: [{ value: 'u1' }] }), 'internal', /splitGroupPatch/, 'Group');
  });
});

describe('applyPatch: atomicity', () => {
  test('a PATCH whose third operation fails leaves the resource unchanged', () => {
    const before = user();
    const snapshot = structuredClone(before);
    const r = applyPatch(
      'User',
      before,
      ops(
        { op: 'replace', path: 'title', value: 'CTO' },
        { op: 'remove', path: 'emails[type eq "home"]' },
        { op: 'replace', path: 'id', value: 'stolen' },
      ),
    );
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'mutability');
    assert.match(r.error.detail, /^Operations\[2\]/);
    assert.deepEqual(before, snapshot);
  });

  test('a successful PATCH does not mutate its input', () => {
    const before = user();
    const snapshot = structuredClone(before);
    patched(before, ops({ op: 'add', path: 'emails', value: [{ value: 'n@x.com', primary: true }] }, { op: 'replace', path: 'name.givenName', value: 'Z' }));
    assert.deepEqual(before, snapshot);
  });

  test('operations apply in order: a later one sees an earlier one', () => {
    const out = patched(
      user(),
      ops({ op: 'add', path: 'emails', value: [{ value: 'o@x.com', type: 'other' }] }, { op: 'replace', path: 'emails[type eq "other"].value', value: 'o2@x.com' }),
    );
    assert.deepEqual((out.emails as JsonObject[])[2], { value: 'o2@x.com', type: 'other' });
  });
});
