/**
 * The dependency direction of docs/architecture.md, enforced: protocol code (scim/) never
 * reaches HTTP or SQL, use cases (app/) never reach HTTP, SQL or the environment, and only the
 * composition root (runtime/) and the CLI see everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, normalize } from 'node:path';

const ALLOWED: Record<string, string[]> = {
  domain: ['domain'],
  scim: ['domain', 'scim'],
  // SAML 2.0 service provider, pure like scim/: no HTTP, no SQL; time and certificates are arguments.
  saml: ['domain', 'saml'],
  app: ['domain', 'scim', 'saml', 'app'],
  store: ['domain', 'scim', 'app', 'store'],
  http: ['domain', 'scim', 'app', 'http'],
  events: ['domain', 'app', 'events'],
  // The setup portal: pages over the use cases, through the framework-free HTTP types. No SQL.
  portal: ['domain', 'scim', 'saml', 'app', 'http', 'portal'],
  config: ['config'],
  runtime: ['domain', 'scim', 'saml', 'app', 'store', 'http', 'events', 'portal', 'config', 'runtime'],
  cli: ['domain', 'config', 'runtime', 'cli'],
  // The API client ships to host apps: domain types and the webhook verifier only, no server code.
  client: ['domain', 'events', 'client'],
};
/** Third-party packages a layer may use; node: built-ins are allowed except where noted. */
const PACKAGES: Record<string, string[]> = {
  domain: [],
  scim: [],
  // a vetted SAML library (signature checks are never hand-rolled) and the XML parser it uses
  saml: ['@node-saml/node-saml', '@xmldom/xmldom'],
  // zod: pure validation, no I/O (app/rules/settings.ts validates directory settings with it)
  app: ['zod'],
  store: ['kysely', 'better-sqlite3', 'pg'],
  http: ['fastify'],
  events: [],
  portal: [],
  config: ['zod'],
  runtime: ['fastify', 'pino'],
  cli: ['commander'],
  client: [],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

test('each source folder imports only the layers and packages it may', () => {
  const violations: string[] = [];
  for (const file of files('src')) {
    const layer = relative('src', file).split('/')[0]!;
    if (layer === 'index.ts') continue;
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) {
        const target = relative('src', normalize(join(dirname(file), spec))).split('/')[0]!;
        if (target.endsWith('.js')) continue; // src/index.ts re-exports
        if (!ALLOWED[layer]!.includes(target)) violations.push(`${file} imports ${spec} (${layer} -> ${target})`);
      } else if (spec.startsWith('node:')) {
        if (layer === 'domain' || layer === 'scim') violations.push(`${file} imports ${spec}: ${layer}/ is pure`);
      } else {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!PACKAGES[layer]!.includes(pkg)) violations.push(`${file} imports package ${pkg}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
