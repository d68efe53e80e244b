/** Opens a database, applies pending migrations, closes it: `scimitar migrate`. */
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open-database.js';

export async function migrateDatabase(url: string): Promise<{ applied: string[]; description: string }> {
  const database = openDatabase(url);
  try {
    return { applied: await migrate(database), description: database.description };
  } finally {
    await database.close();
  }
}
