/**
 * `scimitar serve`: migrates, logs one line naming where it listens and which database it
 * uses, answers SCIM, and exits cleanly on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createTestDatabase } from '../support/databases.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('serve logs where it listens and which database it uses, then stops cleanly on SIGTERM', async () => {
  const db = await createTestDatabase('sqlite');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 20_000;
    while (!output.includes('Scimitar listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const line = output.split('\n').find((l) => l.includes('Scimitar listening'));
    assert.ok(line, output);
    const entry = JSON.parse(line);
    assert.equal(entry.msg, `Scimitar listening on http://127.0.0.1:${port} (public URL http://localhost:${port}) using SQLite at ${db.url.slice('sqlite:'.length)}; developer console at http://localhost:${port}/portal/login`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const unknown = await fetch(`http://127.0.0.1:${port}/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /application\/json/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /shutting down/);
  } finally {
    child.kill('SIGKILL');
    await db.drop();
  }
});
