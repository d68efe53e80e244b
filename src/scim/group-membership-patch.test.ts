import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { splitGroupPatch, type MembershipChange } from './group-membership-patch.js';
import { parsePatchRequest } from './patch-request.js';
import { URN } from './urns.js';
import type { PatchOperation } from './types.js';

/** Parses raw operations the way the HTTP layer will, so tests use the exact IdP bodies. */
function ops(...raw: unknown[]): PatchOperation[] {
  const r = parsePatchRequest({ schemas: [URN.patchOp], Operations: raw });
  assert.ok(r.ok, r.ok ? '' : r.error.detail);
  return r.value;
}

const change = (c: Partial<MembershipChange>): MembershipChange => ({ replaceAll: null, add: [], remove: [], ...c });

describe('splitGroupPatch: member operations Okta and Entra send', () => {
  const cases: Array<[string, PatchOperation[], MembershipChange]> = [
    [
      'Okta adds a member with path "members"',
      ops({ op: 'add', path: 'members', value: [{ value: 'id1', display: 'a@x.com' }] }),
      change({ add: ['id1'] }),
    ],
    ['Okta removes a member with a value filter', ops({ op: 'remove', path: 'members[value eq "id1"]' }), change({ remove: ['id1'] })],
    [
      'a remove filter may join value eq with or',
      ops({ op: 'remove', path: 'members[value eq "a" or value eq "b" or value eq "a"]' }),
      change({ remove: ['a', 'b'] }),
    ],
    [
      'Entra removes members with path "members" and a value list',
      ops({ op: 'Remove', path: 'members', value: [{ value: 'id1' }, { value: 'id2' }] }),
      change({ remove: ['id1', 'id2'] }),
    ],
    ['remove of "members" without a value removes all (RFC 7644 §3.5.2.2)', ops({ op: 'remove', path: 'members' }), change({ replaceAll: [] })],
    [
      'replace of "members" replaces the whole list',
      ops({ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }, { value: 'a' }] }),
      change({ replaceAll: ['a', 'b'] }),
    ],
    [
      'Entra adds several members in one operation, with duplicates',
      ops({ op: 'Add', path: 'members', value: [{ value: 'a' }, { value: 'b' }, { value: 'a' }] }),
      change({ add: ['a', 'b'] }),
    ],
    [
      'member attribute names are case-insensitive',
      ops({ op: 'add', path: 'Members', value: [{ Value: 'a' }] }),
      change({ add: ['a'] }),
    ],
    [
      'the path may be qualified by the Group URN',
      ops({ op: 'add', path: `${URN.group}:members`, value: [{ value: 'a' }] }),
      change({ add: ['a'] }),
    ],
    ['a single member object is accepted as a list', ops({ op: 'add', path: 'members', value: { value: 'a' } }), change({ add: ['a'] })],
    [
      'replace with a value filter swaps one member for another',
      ops({ op: 'replace', path: 'members[value eq "old"]', value: [{ value: 'new' }] }),
      change({ add: ['new'], remove: ['old'] }),
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const r = splitGroupPatch(input);
      assert.ok(r.ok, r.ok ? '' : r.error.detail);
      assert.deepEqual(r.value.membership, expected);
      assert.deepEqual(r.value.attributeOps, []);
    });
  }
});

describe('splitGroupPatch: composition in order', () => {
  const cases: Array<[string, PatchOperation[], MembershipChange]> = [
    [
      'add x then remove x is a net remove of x',
      ops({ op: 'add', path: 'members', value: [{ value: 'x' }] }, { op: 'remove', path: 'members[value eq "x"]' }),
      change({ remove: ['x'] }),
    ],
    [
      'remove x then add x is a net add of x',
      ops({ op: 'remove', path: 'members[value eq "x"]' }, { op: 'add', path: 'members', value: [{ value: 'x' }] }),
      change({ add: ['x'] }),
    ],
    [
      'replace all then add y includes y in the replacement',
      ops({ op: 'replace', path: 'members', value: [{ value: 'a' }] }, { op: 'add', path: 'members', value: [{ value: 'y' }] }),
      change({ replaceAll: ['a', 'y'] }),
    ],
    [
      'replace all then remove a drops a from the replacement',
      ops({ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }, { op: 'remove', path: 'members[value eq "a"]' }),
      change({ replaceAll: ['b'] }),
    ],
    [
      'adds and removes before a replace are superseded by it',
      ops(
        { op: 'add', path: 'members', value: [{ value: 'a' }] },
        { op: 'remove', path: 'members[value eq "b"]' },
        { op: 'replace', path: 'members', value: [{ value: 'c' }] },
      ),
      change({ replaceAll: ['c'] }),
    ],
    [
      'remove all then add y leaves exactly y',
      ops({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'y' }] }),
      change({ replaceAll: ['y'] }),
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const r = splitGroupPatch(input);
      assert.ok(r.ok, r.ok ? '' : r.error.detail);
      assert.deepEqual(r.value.membership, expected);
    });
  }
});

describe('splitGroupPatch: attribute operations pass through', () => {
  test('Okta renames a group with path-less replace carrying id', () => {
    const input = ops({ op: 'replace', value: { id: 'g1', displayName: 'New' } });
    const r = splitGroupPatch(input);
    assert.ok(r.ok);
    assert.deepEqual(r.value.attributeOps, input);
    assert.deepEqual(r.value.membership, change({}));
  });

  test('a path-less replace carrying members is split into members and the rest', () => {
    const r = splitGroupPatch(ops({ op: 'replace', value: { id: 'g1', displayName: 'Eng', members: [{ value: 'a' }] } }));
    assert.ok(r.ok);
    assert.deepEqual(r.value.attributeOps, [{ op: 'replace', value: { id: 'g1', displayName: 'Eng' } }]);
    assert.deepEqual(r.value.membership, change({ replaceAll: ['a'] }));
  });

  test('a path-less add carrying only members leaves no attribute operation', () => {
    const r = splitGroupPatch(ops({ op: 'add', value: { members: [{ value: 'a' }] } }));
    assert.ok(r.ok);
    assert.deepEqual(r.value.attributeOps, []);
    assert.deepEqual(r.value.membership, change({ add: ['a'] }));
  });

  test('displayName and externalId operations keep their order around member operations', () => {
    const input = ops(
      { op: 'replace', path: 'displayName', value: 'A' },
      { op: 'add', path: 'members', value: [{ value: 'm' }] },
      { op: 'replace', path: 'externalId', value: 'e' },
    );
    const r = splitGroupPatch(input);
    assert.ok(r.ok);
    assert.deepEqual(r.value.attributeOps, [input[0], input[2]]);
  });
});

describe('splitGroupPatch: refusals', () => {
  const cases: Array<[string, PatchOperation[], string, RegExp]> = [
    ['a member that is not an object', ops({ op: 'add', path: 'members', value: ['id1'] }), 'invalid_value', /value/],
    ['a member without a string value', ops({ op: 'add', path: 'members', value: [{ value: 7 }] }), 'invalid_value', /value/],
    ['a member with an empty value', ops({ op: 'add', path: 'members', value: [{ value: '' }] }), 'invalid_value', /value/],
    [
      'a path-less replace with malformed members',
      ops({ op: 'replace', value: { members: [{ display: 'x' }] } }),
      'invalid_value',
      /member/,
    ],
    [
      'a member filter on display',
      ops({ op: 'remove', path: 'members[display eq "a@x.com"]' }),
      'invalid_filter',
      /only value filters/,
    ],
    ['a member filter with and', ops({ op: 'remove', path: 'members[value eq "a" and value eq "b"]' }), 'invalid_filter', /only value filters/],
    ['a member filter with co', ops({ op: 'remove', path: 'members[value co "a"]' }), 'invalid_filter', /only value filters/],
    ['a member sub-attribute path', ops({ op: 'replace', path: 'members.display', value: 'x' }), 'invalid_path', /sub-attributes/],
  ];
  for (const [name, input, code, detail] of cases) {
    test(`${name} → ${code}`, () => {
      const r = splitGroupPatch(input);
      assert.ok(!r.ok);
      assert.equal(r.error.code, code);
      assert.match(r.error.detail, detail);
    });
  }
});
