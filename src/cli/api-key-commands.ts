/**
 * `scimitar api-key create|list|revoke`: credentials for the REST API (/api/v1). A key is
 * printed once at creation; the database keeps only its SHA-256.
 */
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { withScimitar } from './with-scimitar.js';

const scopeOf = (organizationId: string | null) => organizationId ?? 'global (all organizations)';

export function registerApiKeyCommands(program: Command, config: () => Readonly<Config>): void {
  const apiKey = program.command('api-key').description('API keys for the REST API (/api/v1)');
  apiKey
    .command('create')
    .description('create an API key (printed only now); without --org it sees every organization')
    .option('--org <organizationId>', 'limit the key to one organization')
    .option('--name <name>', 'a label to recognise the key by')
    .option('--json', 'print JSON')
    .action((o: { org?: string; name?: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const { apiKey: created, key } = await s.admin.createApiKey({ organizationId: o.org, name: o.name });
        if (o.json) return console.log(JSON.stringify({ ...created, key }, null, 2));
        console.log(
          [
            `Created API key ${created.id} "${created.name}"`,
            `  scope: ${scopeOf(created.organizationId)}`,
            ``,
            `  ${key}`,
            ``,
            `The key is shown only this once. Send it as: Authorization: Bearer <key>`,
          ].join('\n'),
        );
      }),
    );
  apiKey
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const keys = await s.admin.listApiKeys();
        if (o.json) return console.log(JSON.stringify(keys, null, 2));
        console.log(
          keys.length === 0
            ? 'No API keys.'
            : keys
                .map((k) => `${k.id}  ${k.prefix}…  ${scopeOf(k.organizationId)}  "${k.name}"  ${k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`}`)
                .join('\n'),
        );
      }),
    );
  apiKey
    .command('revoke')
    .description('revoke an API key now: requests made with it get 401')
    .requiredOption('--key <id>', 'the key id (key_…), as `api-key list` shows it')
    .option('--json', 'print JSON')
    .action((o: { key: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const revoked = await s.admin.revokeApiKey({ keyId: o.key });
        console.log(o.json ? JSON.stringify(revoked, null, 2) : `API key ${revoked.id} is revoked (${revoked.revokedAt}).`);
      }),
    );
}
