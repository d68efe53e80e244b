/**
 * Management commands: organizations, directories, tokens and the SCIM request log. Each
 * opens the configured database (migrating it if needed), acts, and closes it.
 */
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { print, withScimitar } from './with-scimitar.js';

export function registerAdminCommands(program: Command, config: () => Readonly<Config>): void {
  const org = program.command('org').description('organizations (your customers)');
  org
    .command('create <name>')
    .description('create an organization')
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const created = await s.admin.createOrganization({ name });
        print(!!o.json, created, `Created organization "${created.name}"\n  id: ${created.id}\n\nNext: scimitar directory create --org ${created.id} --provider okta`);
      }),
    );
  org
    .command('list')
    .description('list organizations')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const orgs = await s.store.organizations.list();
        print(!!o.json, orgs, orgs.length === 0 ? 'No organizations yet.' : orgs.map((x) => `${x.id}  ${x.name}`).join('\n'));
      }),
    );

  const directory = program.command('directory').description('directories (one per identity provider connection)');
  directory
    .command('create')
    .description('create a directory and its SCIM endpoint and bearer token (shown only now)')
    .requiredOption('--org <organizationId>', 'organization id')
    .requiredOption('--provider <provider>', 'okta, entra or generic')
    .option('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action((o: { org: string; provider: string; name?: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const created = await s.admin.createDirectory({ organizationId: o.org, provider: o.provider, name: o.name });
        print(
          !!o.json,
          { id: created.directory.id, organizationId: created.directory.organizationId, provider: created.directory.provider, status: created.directory.status, scimBaseUrl: created.scimBaseUrl, token: created.token },
          [
            `Created ${created.directory.name} directory ${created.directory.id}`,
            ``,
            `  SCIM base URL:  ${created.scimBaseUrl}`,
            `  Bearer token:   ${created.token}`,
            ``,
            `The token is shown only this once. Paste both into the identity provider's SCIM settings.`,
          ].join('\n'),
        );
      }),
    );
  directory
    .command('set')
    .description('change a directory: --status inactive stops all provisioning (403), active resumes it')
    .requiredOption('--directory <id>', 'directory id')
    .requiredOption('--status <status>', 'active or inactive')
    .option('--json', 'print JSON')
    .action((o: { directory: string; status: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const updated = await s.admin.setDirectoryStatus({ directoryId: o.directory, status: o.status });
        print(!!o.json, updated, `Directory ${updated.id} is now ${updated.status}.`);
      }),
    );
  directory
    .command('list')
    .description('list the directories of an organization')
    .requiredOption('--org <organizationId>', 'organization id')
    .option('--json', 'print JSON')
    .action((o: { org: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const list = await s.store.directories.listByOrganization(o.org);
        print(!!o.json, list, list.length === 0 ? 'No directories.' : list.map((d) => `${d.id}  ${d.provider}  ${d.status}  ${d.name}`).join('\n'));
      }),
    );

  program
    .command('token')
    .description('SCIM bearer tokens')
    .command('rotate')
    .description('issue a new SCIM token; the old one keeps working for the grace period unless --revoke-old')
    .requiredOption('--directory <id>', 'directory id')
    .option('--revoke-old', 'stop the previous token(s) now')
    .option('--json', 'print JSON')
    .action((o: { directory: string; revokeOld?: boolean; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const rotated = await s.admin.rotateToken({ directoryId: o.directory, revokeOld: o.revokeOld });
        print(
          !!o.json,
          { id: rotated.directoryId, scimBaseUrl: rotated.scimBaseUrl, token: rotated.token, previousTokensExpireAt: rotated.previousTokensExpireAt },
          [
            `New bearer token for ${rotated.directoryId}: ${rotated.token}`,
            rotated.previousTokensExpireAt
              ? `The previous token keeps working until ${rotated.previousTokensExpireAt}.`
              : `The previous token was revoked now.`,
            `The token is shown only this once.`,
          ].join('\n'),
        );
      }),
    );

  program
    .command('logs')
    .description('the SCIM request log of a directory, newest first')
    .requiredOption('--directory <id>', 'directory id')
    .option('--errors', 'only failed requests')
    .option('--limit <n>', 'how many entries', '50')
    .option('--json', 'print JSON')
    .action((o: { directory: string; errors?: boolean; limit: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const entries = await s.admin.requestLog({ directoryId: o.directory, errorsOnly: !!o.errors, limit: Math.max(1, Number(o.limit) || 50) });
        const lines = entries.map(
          (e) =>
            `${e.at}  ${e.method.padEnd(6)} ${e.status}  ${e.path}${e.query ? '?' + e.query : ''}  ${e.durationMs}ms` +
            (e.detail ? `\n    ${e.scimType ? e.scimType + ': ' : ''}${e.detail}` : ''),
        );
        print(!!o.json, entries, lines.length === 0 ? 'No requests recorded.' : lines.join('\n'));
      }),
    );
}
