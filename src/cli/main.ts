/**
 * The `scimitar` command: serve, migrate, and the management commands a SaaS developer runs
 * against the same database as a running server. Errors: one readable line, non-zero exit.
 */
import { Command, Option } from 'commander';
import { ConfigError, resolveConfig } from '../config/config.js';
import { isServiceError } from '../domain/errors.js';
import { registerAdminCommands } from './admin-commands.js';
import { registerApiKeyCommands } from './api-key-commands.js';
import { registerPortalCommands } from './portal-commands.js';
import { registerSettingsCommands } from './settings-commands.js';
import { registerSsoCommands } from './sso-commands.js';
import { registerWebhookCommands } from './webhook-commands.js';
import { runMigrate, runServe } from './serve.js';

const program = new Command();
program
  .name('scimitar')
  .description('SCIM 2.0 provisioning for B2B SaaS: accept users and groups from Okta and Entra ID')
  .addOption(new Option('--database <url>', 'postgres://... or sqlite:<path> (default: DATABASE_URL or sqlite:./data/scimitar.db)'))
  .showHelpAfterError();

export const config = () => resolveConfig({ databaseUrl: program.opts<{ database?: string }>().database }, process.env);

program.command('serve').description('run the server (migrates first)').action(() => runServe(config()));
program.command('migrate').description('apply pending database migrations').action(() => runMigrate(config()));
registerAdminCommands(program, config);
registerSettingsCommands(program, config);
registerApiKeyCommands(program, config);
registerWebhookCommands(program, config);
registerPortalCommands(program, config);
registerSsoCommands(program, config);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`error: configuration: ${error.message}`);
  else if (isServiceError(error)) console.error(`error: ${error.detail}`);
  else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = isServiceError(error) && error.code === 'not_found' ? 3 : 1;
});
