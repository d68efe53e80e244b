import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEntraBoolean, normalizeEntraManager } from './entra.js';

describe('Entra quirks', () => {
  const booleans: Array<[string, unknown, unknown]> = [
    ['Entra sends "True"', 'True', true],
    ['Entra sends "False"', 'False', false],
    ['any case is accepted', 'fAlSe', false],
    ['a real boolean is untouched', true, true],
    ['a non-boolean string is left for the type check', 'yes', 'yes'],
    ['a number is untouched', 1, 1],
  ];
  for (const [name, input, expected] of booleans) {
    test(`normalizeEntraBoolean: ${name}`, () => {
      assert.equal(normalizeEntraBoolean(input as never), expected);
    });
  }

  test('Entra sends manager as a plain string id', () => {
    assert.deepEqual(normalizeEntraManager('mgr-id'), { value: 'mgr-id' });
    assert.deepEqual(normalizeEntraManager({ value: 'mgr-id' }), { value: 'mgr-id' });
  });
});
