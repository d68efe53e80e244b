import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeEvent } from './serialize-event.js';

test('serializeEvent equals JSON.stringify of the envelope, keeping the stored data bytes', () => {
  const data = { user: { id: 'usr_1', userName: 'ada@example.com', displayName: 'Ada "the first" Lovelace \u2603', emails: [] } };
  const event = { id: 'evt_1', type: 'user.created', sequence: 42, occurredAt: '2030-01-01T00:00:00.000Z', organizationId: 'org_1', directoryId: 'dir_1', data: JSON.stringify(data) };
  const body = serializeEvent(event);
  assert.equal(body, JSON.stringify({ id: 'evt_1', type: 'user.created', sequence: 42, occurredAt: '2030-01-01T00:00:00.000Z', organizationId: 'org_1', directoryId: 'dir_1', data }));
  assert.ok(body.endsWith(`"data":${event.data}}`));
});
