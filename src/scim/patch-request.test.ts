import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PATCH_OPERATIONS, parsePatchRequest } from './patch-request.js';
import { URN } from './urns.js';
import type { ErrorCode } from '../domain/errors.js';

const body = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

describe('parsePatchRequest: what Okta and Entra send', () => {
  test('Okta deactivates with PATCH replace active=false', () => {
    const r = parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.deepEqual(r, { ok: true, value: [{ op: 'replace', value: { active: false } }] });
  });

  test('Okta adds a group member', () => {
    const r = parsePatchRequest(body({ op: 'add', path: 'members', value: [{ value: 'id1', display: 'a@x.com' }] }));
    assert.ok(r.ok);
    assert.deepEqual(r.value, [{ op: 'add', path: { attr: { attr: 'members' } }, pathText: 'members', value: [{ value: 'id1', display: 'a@x.com' }] }]);
  });

  test('Okta removes a group member with a value filter', () => {
    const r = parsePatchRequest(body({ op: 'remove', path: 'members[value eq "id1"]' }));
    assert.ok(r.ok);
    assert.equal(r.value[0].op, 'remove');
    assert.deepEqual(r.value[0].path, {
      attr: { attr: 'members' },
      filter: { op: 'eq', path: { attr: 'value' }, value: 'id1' },
    });
    assert.equal(r.value[0].value, undefined);
  });

  test('Entra capitalizes op names (Add, Replace, Remove)', () => {
    const r = parsePatchRequest(
      body(
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x.com' },
        { op: 'Remove', path: 'members', value: [{ value: 'id' }] },
      ),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.map((o) => o.op), ['replace', 'add', 'remove']);
    assert.equal(r.value[0].value, 'False', 'values are not coerced here');
    assert.equal(r.value[1].path?.sub, 'value');
    assert.deepEqual(r.value[2].value, [{ value: 'id' }]);
  });

  test('Entra replaces manager with an extension-qualified path', () => {
    const r = parsePatchRequest(body({ op: 'Replace', path: `${URN.enterpriseUser}:manager`, value: 'mgr-id' }));
    assert.ok(r.ok);
    assert.deepEqual(r.value[0].path, { attr: { uri: URN.enterpriseUser, attr: 'manager' } });
  });

  test('message keys are case-insensitive and a null path means no path', () => {
    const r = parsePatchRequest({ Schemas: [URN.patchOp.toUpperCase()], operations: [{ OP: 'add', Path: null, Value: { title: 'x' } }] });
    assert.deepEqual(r, { ok: true, value: [{ op: 'add', value: { title: 'x' } }] });
  });
});

describe('parsePatchRequest: refusals', () => {
  const many = Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: 'add', path: 'title', value: 'x' }));
  const cases: Array<[string, unknown, ErrorCode]> = [
    ['a non-object body', [], 'invalid_syntax'],
    ['null', null, 'invalid_syntax'],
    ['no schemas', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalid_syntax'],
    ['schemas without the PatchOp URN', { schemas: [URN.user], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalid_syntax'],
    ['no Operations', { schemas: [URN.patchOp] }, 'invalid_syntax'],
    ['Operations not an array', { schemas: [URN.patchOp], Operations: {} }, 'invalid_syntax'],
    ['empty Operations', body(), 'invalid_syntax'],
    [`more than ${MAX_PATCH_OPERATIONS} operations`, body(...many), 'too_many'],
    ['an operation that is not an object', body('add'), 'invalid_syntax'],
    ['an unknown op', body({ op: 'move', path: 'title', value: 'x' }), 'invalid_syntax'],
    ['a missing op', body({ path: 'title', value: 'x' }), 'invalid_syntax'],
    ['add without value', body({ op: 'add', path: 'title' }), 'invalid_syntax'],
    ['replace without value', body({ op: 'replace', path: 'title' }), 'invalid_syntax'],
    ['remove without path (RFC 7644 §3.5.2.2)', body({ op: 'remove' }), 'no_target'],
    ['a path that is not a string', body({ op: 'add', path: 7, value: 'x' }), 'invalid_path'],
    ['a path that does not parse', body({ op: 'add', path: 'emails[type eq', value: 'x' }), 'invalid_path'],
    ['an empty path', body({ op: 'add', path: '', value: 'x' }), 'invalid_path'],
  ];
  for (const [name, input, code] of cases) {
    test(`${name} → ${code}`, () => {
      const r = parsePatchRequest(input);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.code, code);
    });
  }

  test('the error names the failing operation', () => {
    const r = parsePatchRequest(body({ op: 'add', path: 'title', value: 'x' }, { op: 'add', path: 'title' }));
    assert.ok(!r.ok);
    assert.match(r.error.detail, /Operations\[1\]/);
  });

  test(`exactly ${MAX_PATCH_OPERATIONS} operations are accepted`, () => {
    assert.ok(parsePatchRequest(body(...many.slice(1))).ok);
  });
});
