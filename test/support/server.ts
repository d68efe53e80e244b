/**
 * A real Scimitar server for tests: the production Fastify server on a loopback port, on a
 * fresh database, with helpers to create organizations and directories through the admin API.
 */
import { resolveConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/runtime/server.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';
import { ScimClient } from './scim-client.js';

export interface TestServer {
  url: string;
  server: RunningServer;
  database: TestDatabase;
  /** Creates an organization and an Okta (or other) directory; returns a client holding its token. */
  newDirectory(provider?: string): Promise<{ directoryId: string; organizationId: string; token: string; client: ScimClient }>;
  close(): Promise<void>;
}

export async function startTestServer(dialect: DialectName, overrides: Record<string, unknown> = {}): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  const config = resolveConfig({ port: 1, host: '127.0.0.1', databaseUrl: database.url, logLevel: 'silent', ...overrides } as never, {});
  // Port 1 only satisfies validation; listen on an ephemeral port instead.
  const server = await startServer({ ...config, port: 0, publicUrl: 'http://127.0.0.1' });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    server,
    database,
    async newDirectory(provider = 'okta') {
      const org = await server.scimitar.admin.createOrganization({ name: 'Test Org' });
      const created = await server.scimitar.admin.createDirectory({ organizationId: org.id, provider });
      const path = new URL(created.scimBaseUrl).pathname;
      return {
        directoryId: created.directory.id,
        organizationId: org.id,
        token: created.token,
        client: new ScimClient(`${url}${path}`, created.token),
      };
    },
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
