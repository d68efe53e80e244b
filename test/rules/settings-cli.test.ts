/**
 * `scimitar directory settings` against the database of a running server: shows the rules,
 * sets and removes the role prefix and group mappings, switches department groups, and the
 * running server applies the new rules to the next SCIM request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { roleChanges, rulesDirectory } from './rules.js';

function cli(databaseUrl: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SCIMITAR_PUBLIC_URL: 'https://scim.example.com' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const { name, skip } of await dialects()) {
  describe(`scimitar directory settings on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    async function settings(directoryId: string, ...args: string[]): Promise<any> {
      const result = await cli(server.database.url, ['directory', 'settings', '--directory', directoryId, ...args, '--json']);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    }

    test('shows, sets and removes the rules; the server applies them to the next request', async () => {
      const d = await rulesDirectory(server);
      const ann = await d.createUser('ann@example.com');
      await d.createGroup('Envi_Admin', [ann]);
      await d.createGroup('Engineering', [ann]);
      await d.newEvents();

      assert.deepEqual(await settings(d.directoryId), { roles: { mappings: [] }, departmentGroups: { enabled: false } });
      const text = await cli(server.database.url, ['directory', 'settings', '--directory', d.directoryId]);
      assert.match(text.stdout, /Role prefix: +none/);
      assert.match(text.stdout, /Department groups: +off/);

      const set = await settings(d.directoryId, '--role-prefix', 'Envi_', '--map-group', 'engineering=developer', '--map-group', 'Engineering=reviewer', '--department-groups', 'on');
      assert.deepEqual(set, {
        roles: { prefix: 'Envi_', mappings: [{ group: 'engineering', role: 'developer' }, { group: 'Engineering', role: 'reviewer' }] },
        departmentGroups: { enabled: true },
      });
      assert.deepEqual(await d.roles(ann.id), [['Admin', 'developer', 'reviewer']]);
      assert.deepEqual(roleChanges(await d.newEvents()), ['+Admin ann@example.com', '+developer ann@example.com', '+reviewer ann@example.com']);

      // The running server sees the new rules: a new member of Envi_Viewer gets Viewer.
      const bob = await d.createUser('bob@example.com');
      await d.createGroup('Envi_Viewer', [bob]);
      assert.deepEqual(await d.roles(bob.id), [['Viewer']]);

      const unmapped = await settings(d.directoryId, '--unmap-group', 'ENGINEERING=developer', '--no-role-prefix');
      assert.deepEqual(unmapped.roles, { mappings: [{ group: 'Engineering', role: 'reviewer' }] });
      assert.deepEqual(await d.roles(ann.id, bob.id), [['reviewer'], []]);
      const cleared = await settings(d.directoryId, '--unmap-group', 'engineering', '--department-groups', 'off');
      assert.deepEqual(cleared, { roles: { mappings: [] }, departmentGroups: { enabled: false } });
    });

    test('bad input gets one readable line and a non-zero exit', async () => {
      const d = await rulesDirectory(server);
      const pair = await cli(server.database.url, ['directory', 'settings', '--directory', d.directoryId, '--map-group', 'no-equals-sign']);
      assert.equal(pair.code, 1);
      assert.match(pair.stderr, /--map-group expects <group>=<role>/);
      const missing = await cli(server.database.url, ['directory', 'settings', '--directory', 'dir_nope']);
      assert.equal(missing.code, 3, 'not found');
      assert.match(missing.stderr, /dir_nope does not exist/);
      const choice = await cli(server.database.url, ['directory', 'settings', '--directory', d.directoryId, '--department-groups', 'maybe']);
      assert.notEqual(choice.code, 0);
    });
  });
}
