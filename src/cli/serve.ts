/** `scimitar serve` and `scimitar migrate`. */
import type { Config } from '../config/config.js';
import { startServer } from '../runtime/server.js';
import { migrateDatabase } from '../runtime/migrate-database.js';

export async function runServe(config: Readonly<Config>): Promise<void> {
  const server = await startServer(config);
  const stop = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export async function runMigrate(config: Readonly<Config>): Promise<void> {
  const { applied, description } = await migrateDatabase(config.databaseUrl);
  console.log(applied.length > 0 ? `applied ${applied.join(', ')} to ${description}` : `${description} is up to date`);
}
