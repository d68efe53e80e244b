// Writes test/schema.sql: the schema a fresh migrate produces on SQLite, normalised.
// The migration test fails when the two differ, so a schema change is always reviewed.
import { writeFileSync } from 'node:fs';
import { migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open-database.js';
import { dumpSqliteSchema } from '../test/support/schema-dump.js';

const database = openDatabase('sqlite::memory:');
await migrate(database);
writeFileSync('test/schema.sql', await dumpSqliteSchema(database));
await database.close();
console.log('wrote test/schema.sql');
