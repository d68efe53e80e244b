/** `scimitar serve` and `scimitar migrate`. */
import type { Config } from '../config/config.js';
import { startServer } from '../runtime/server.js';
import { openDatabase } from '../store/open-database.js';
import { migrate } from '../store/migrate.js';

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
  const database = openDatabase(config.databaseUrl);
  try {
    const applied = await migrate(database);
    console.log(applied.length > 0 ? `applied ${applied.join(', ')} to ${database.description}` : `${database.description} is up to date`);
  } finally {
    await database.close();
  }
}
