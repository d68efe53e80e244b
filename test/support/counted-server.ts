/**
 * A Scimitar on loopback whose database counts the queries it runs, for tests that pin a
 * page's cost ("the same few queries for 5 rows as for 50"): reset `queries`, make a request,
 * read it back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin } from 'kysely';
import { createScimitar, type Scimitar } from '../../src/runtime/create-scimitar.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createTestDatabase, type DialectName } from './databases.js';

export interface CountedServer {
  scimitar: Scimitar;
  url: string;
  /** Queries run since the last reset. */
  queries: number;
  close(): Promise<void>;
}

export async function startCountedServer(dialect: DialectName): Promise<CountedServer> {
  const database = await createTestDatabase(dialect);
  const opened = openDatabase(database.url);
  const counted: CountedServer = { scimitar: undefined as unknown as Scimitar, url: '', queries: 0, close: async () => {} };
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      counted.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const scimitar = await createScimitar({ database: { ...opened, db: opened.db.withPlugin(counter) }, publicUrl: 'http://127.0.0.1', maintenance: false, delivery: { enabled: false } });
  const server = http.createServer(scimitar.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counted.scimitar = scimitar;
  counted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  counted.close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await scimitar.close();
    await database.drop();
  };
  return counted;
}
