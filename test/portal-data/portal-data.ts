/**
 * Helpers for the portal-data suites: a use-case context over a test server's own store (the
 * server does not expose its context; the portal's use cases only need the store, a clock and
 * ids), with a clock the test can move, and a way to wait for the buffered request log.
 */
import type { AppContext } from '../../src/app/context.js';
import { PageHints } from '../../src/app/scim/page-hints.js';
import { createIdGenerator } from '../../src/runtime/system.js';
import type { TestServer } from '../support/server.js';

export interface TestContext extends AppContext {
  /** Stops this context's clock (not the server's) at `at`; without it, back to the real time. */
  setClock(at?: Date): void;
}

export function contextOf(server: TestServer): TestContext {
  let fixed: Date | undefined;
  return {
    store: server.server.scimitar.store,
    pageHints: new PageHints(),
    clock: { now: () => new Date(fixed ?? Date.now()) },
    ids: createIdGenerator(),
    settings: { publicUrl: 'http://127.0.0.1', tokenGraceMs: 24 * 3_600_000, maxPageSize: 1000 },
    setClock(at) {
      fixed = at;
    },
  };
}

/** The request log is written through a buffer; the admin read flushes it first. */
export async function flushRequestLog(server: TestServer, directoryId: string): Promise<void> {
  await server.server.scimitar.admin.requestLog({ directoryId, limit: 1 });
}
