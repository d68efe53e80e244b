/**
 * Shared set-up for the delivery tests: a library-mode Scimitar on a fresh database with a fake
 * clock (backoff is fast-forwarded, never waited for), the background worker off (tests call
 * deliverNow), and SCIM calls through the fetch adapter.
 */
import type { Clock } from '../../src/domain/clock.js';
import { createScimitar, type Scimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, type DialectName, type TestDatabase } from '../support/databases.js';
import { oktaUser } from '../support/scim-client.js';

export class FakeClock implements Clock {
  #ms: number;
  constructor(start = '2030-01-01T00:00:00.000Z') {
    this.#ms = Date.parse(start);
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export type Scim = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface TestDirectory {
  directoryId: string;
  organizationId: string;
  scim: Scim;
  createUser(userName: string): Promise<string>;
}

export interface DeliveryHarness {
  scimitar: Scimitar;
  clock: FakeClock;
  database: TestDatabase;
  newOrganization(name?: string): Promise<string>;
  newDirectory(organizationId?: string): Promise<TestDirectory>;
  /** deliverNow until a pass makes no attempt; returns the attempts made. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(dialect: DialectName, delivery: { timeoutMs?: number } = {}): Promise<DeliveryHarness> {
  const database = await createTestDatabase(dialect);
  const clock = new FakeClock();
  const scimitar = await createScimitar({
    database: database.url,
    publicUrl: 'http://scimitar.test',
    clock,
    maintenance: false,
    delivery: { enabled: false, ...delivery },
  });
  const newOrganization = async (name = 'Acme') => (await scimitar.admin.createOrganization({ name })).id;
  return {
    scimitar,
    clock,
    database,
    newOrganization,
    async newDirectory(organizationId) {
      const orgId = organizationId ?? (await newOrganization());
      const created = await scimitar.admin.createDirectory({ organizationId: orgId, provider: 'okta' });
      const directoryId = created.directory.id;
      const scim: Scim = async (method, path, body) => {
        const response = await scimitar.fetch(
          new Request(`http://scimitar.test/scim/v2/${directoryId}${path}`, {
            method,
            headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/scim+json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
      };
      return {
        directoryId,
        organizationId: orgId,
        scim,
        async createUser(userName) {
          const result = await scim('POST', '/Users', oktaUser(userName));
          if (result.status !== 201) throw new Error(`create ${userName}: ${result.status} ${JSON.stringify(result.body)}`);
          return result.body.id as string;
        },
      };
    },
    async drain() {
      let total = 0;
      for (;;) {
        const made = await scimitar.deliverNow();
        if (made === 0) return total;
        total += made;
      }
    },
    async close() {
      await scimitar.close();
      await database.drop();
    },
  };
}
