/**
 * The composition root for library mode and the server: opens the database, migrates, builds
 * the store, use-case context and handlers, and returns them with adapters for every host.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import { createDirectory, type CreatedDirectory } from '../app/admin/create-directory.js';
import { createOrganization } from '../app/admin/create-organization.js';
import { rotateScimToken, type RotatedToken } from '../app/admin/rotate-scim-token.js';
import { setDirectoryStatus } from '../app/admin/set-directory-status.js';
import { getDirectorySettings, updateDirectorySettings, type DirectorySettings, type DirectorySettingsUpdate } from '../app/admin/directory-settings.js';
import type { RequestLogEntry, Store } from '../app/ports.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import type { Directory, Organization } from '../domain/model.js';
import { scimitarFastifyPlugin } from '../http/adapters/fastify.js';
import { toFetchHandler } from '../http/adapters/fetch.js';
import { toNodeHandler } from '../http/adapters/node.js';
import { createAppHandler, type Handler } from '../http/app-handler.js';
import { silentLogger, type Logger } from '../http/types.js';
import { createStore } from '../store/create-store.js';
import type { OpenDatabase } from '../store/dialects/dialect.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open-database.js';
import { createIdGenerator } from './system.js';
import { RequestLogBuffer } from '../app/request-log-buffer.js';
import { PageHints } from '../app/scim/page-hints.js';
import { createApiKey, type ApiKeySummary, type CreatedApiKey } from '../app/api-keys/create-api-key.js';
import { listApiKeys } from '../app/api-keys/list-api-keys.js';
import { revokeApiKey } from '../app/api-keys/revoke-api-key.js';
import { createDeliveryRuntime, type DeliveryOptions, type ScimitarWebhooks } from './delivery.js';
import { createPortalHandler } from '../portal/handler.js';
import { createSsoHandler } from '../http/sso/handler.js';
import { createAdminUser, setAdminPassword, type CreatedAdminUser } from '../app/portal/admin-users.js';
import { issuePortalLink, type IssuedPortalLink } from '../app/portal/portal-links.js';
import {
  createSsoConnection,
  deleteSsoConnection,
  getSsoConnection,
  getSsoSettings,
  listSsoAttempts,
  listSsoConnections,
  refreshSsoMetadata,
  ssoConnectionView,
  updateSsoConnection,
  updateSsoSettings,
  type CreateSsoConnectionInput,
  type SsoConnectionPatch,
  type SsoConnectionView,
  type SsoMetadataChanges,
  type SsoSettings,
} from '../app/sso/connections.js';
import type { FetchMetadata } from '../app/sso/metadata-fetch.js';
import type { SsoAttempt } from '../domain/sso.js';
import { createMetadataFetcher } from './fetch-metadata.js';

export interface ScimitarOptions {
  /** `postgres://...`, `sqlite:<path>`, or an already open database. */
  database: string | OpenDatabase;
  /** Public URL where the SCIM routes are reachable, including any mount prefix. */
  publicUrl: string;
  /** Mount prefix for the fetch and node adapters (e.g. '/identity'); Express strips it itself. */
  basePath?: string;
  maxPageSize?: number;
  maxBodyBytes?: number;
  tokenGraceHours?: number;
  databasePoolSize?: number;
  /** Run pending migrations on start (default true). */
  migrate?: boolean;
  /** Days the SCIM request log is kept (default 30). */
  requestLogRetentionDays?: number;
  /**
   * Background upkeep (default true): planner statistics every 10 s when many rows changed,
   * request-log retention every hour. Timers are unref'd and stopped by close().
   */
  maintenance?: boolean;
  /** Webhook delivery from the outbox (see docs/events.md). The CLI's one-shot commands pass `{ enabled: false }`. */
  delivery?: DeliveryOptions;
  /** Days events are kept (default 30); an event some webhook stream has not settled is kept longer. */
  eventRetentionDays?: number;
  /**
   * The setup portal and developer console under /portal (default on). `false` turns it off;
   * an object sets the product name shown and the session lifetime.
   */
  portal?: false | { brand?: string; sessionLifetimeMs?: number };
  /**
   * SAML single sign-on under /sso: the tolerance on assertion validity times (default 3 minutes)
   * and whether RSA-SHA1 / SHA-1 signatures are accepted (default false: old ADFS set-ups only).
   */
  sso?: { clockSkewMs?: number; allowSha1?: boolean };
  /**
   * Reads IdP metadata URLs for SSO connections. Default: global fetch, http(s) only, 5 s, 1 MiB,
   * at most 3 redirects (runtime/fetch-metadata.ts). Replace it to go through a proxy, for example.
   */
  fetchMetadata?: FetchMetadata;
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
}

export interface Scimitar {
  /** The framework-free handler. */
  handle: Handler;
  /** Web-standard handler for Next.js, Hono, Bun, Deno. */
  fetch: (request: Request) => Promise<Response>;
  /** node:http handler and Express middleware. */
  node: (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;
  /** Fastify plugin: `app.register(scimitar.fastify, { prefix: '/identity' })`. */
  fastify: (instance: FastifyInstance) => Promise<void>;
  /** Management operations for the host app (the CLI uses the same). */
  admin: ScimitarAdmin;
  store: Store;
  databaseDescription: string;
  /** Webhook endpoints, attempts, dead letters and redelivery. */
  webhooks: ScimitarWebhooks;
  /** SAML connections of organizations, their sign-in attempts, and each organization's sign-in policy and domains. */
  sso: ScimitarSso;
  /** One delivery pass now; resolves to the number of delivery attempts (HTTP requests) made. */
  deliverNow(): Promise<number>;
  close(): Promise<void>;
}

export interface ScimitarAdmin {
  createOrganization(input: { name: string }): Promise<Organization>;
  createDirectory(input: { organizationId: string; provider: string; name?: string }): Promise<CreatedDirectory>;
  rotateToken(input: { directoryId: string; revokeOld?: boolean }): Promise<RotatedToken>;
  setDirectoryStatus(input: { directoryId: string; status: string }): Promise<Directory>;
  /** The directory's mapping rules (roles from groups, department groups). */
  getDirectorySettings(input: { directoryId: string }): Promise<DirectorySettings>;
  /** Partial update of the mapping rules; recomputes roles when the role rules change. Returns the full settings. */
  updateDirectorySettings(input: { directoryId: string; settings: DirectorySettingsUpdate }): Promise<DirectorySettings>;
  requestLog(input: { directoryId: string; errorsOnly?: boolean; limit?: number }): Promise<RequestLogEntry[]>;
  /** Deletes request log entries older than the cutoff in every directory. */
  purgeRequestLog(before: Date): Promise<number>;
  /** A REST API key, shown once (SHA-256 at rest); global (every organization) without organizationId. */
  createApiKey(input: { organizationId?: string; name?: string }): Promise<CreatedApiKey>;
  listApiKeys(): Promise<ApiKeySummary[]>;
  revokeApiKey(input: { keyId: string }): Promise<ApiKeySummary>;
  /** A single-use setup link for an organization's IT administrator (default expiry 24 h). */
  createPortalLink(input: { organizationId: string; expiresInMs?: number }): Promise<IssuedPortalLink>;
  /** A developer console login; the password is generated (and returned once) when not given. */
  createAdminUser(input: { email: string; password?: string }): Promise<CreatedAdminUser>;
  /** Sets a console login's password; its open sessions end. */
  setAdminPassword(input: { email: string; password: string }): Promise<void>;
}

/**
 * SSO management for the host app and the CLI. Connections are shown without their SP private key,
 * with `sp`: what the IdP admin enters. `organizationId` may be left out where a connection id is
 * given (full access, like the rest of the library API); when given, a connection of another
 * organization is not_found.
 */
export interface ScimitarSso {
  createConnection(input: CreateSsoConnectionInput): Promise<SsoConnectionView>;
  listConnections(input: { organizationId: string }): Promise<SsoConnectionView[]>;
  getConnection(input: { connectionId: string; organizationId?: string }): Promise<SsoConnectionView>;
  updateConnection(input: { connectionId: string; organizationId?: string; patch: SsoConnectionPatch }): Promise<SsoConnectionView>;
  /** Reads the metadata URL again (connections created from a URL only) and takes the IdP's entity ID, SSO URL and certificates from it. */
  refreshMetadata(input: { connectionId: string; organizationId?: string }): Promise<{ connection: SsoConnectionView; changes: SsoMetadataChanges }>;
  deleteConnection(input: { connectionId: string; organizationId?: string }): Promise<void>;
  /** Sign-in attempts, newest first (default limit 50). */
  attempts(input: { connectionId: string; organizationId?: string; failuresOnly?: boolean; limit?: number; beforeId?: string }): Promise<SsoAttempt[]>;
  getSettings(input: { organizationId: string }): Promise<SsoSettings>;
  /** Sets the policy ('jit' or 'scim_only') and/or replaces the email domains; a domain of another organization is a uniqueness_conflict. */
  updateSettings(input: { organizationId: string; policy?: string; domains?: string[] }): Promise<SsoSettings>;
}

/**
 * Creates a Scimitar instance.
 * @example
 * const scimitar = await createScimitar({ database: 'sqlite:./data/scimitar.db', publicUrl: 'https://app.example.com' });
 * http.createServer(scimitar.node).listen(3000);
 */
export async function createScimitar(options: ScimitarOptions): Promise<Scimitar> {
  const database = typeof options.database === 'string' ? openDatabase(options.database, { poolSize: options.databasePoolSize }) : options.database;
  try {
    if (options.migrate !== false) await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const ids = options.ids ?? createIdGenerator();
  const store = createStore(database, ids);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ctx: AppContext = {
    store,
    pageHints: new PageHints(),
    clock: options.clock ?? systemClock,
    ids,
    settings: {
      publicUrl: options.publicUrl.replace(/\/+$/, ''),
      tokenGraceMs: (options.tokenGraceHours ?? 24) * 3_600_000,
      maxPageSize: options.maxPageSize ?? 1000,
    },
    fetchMetadata: options.fetchMetadata ?? createMetadataFetcher(),
  };
  const logger = options.logger ?? silentLogger;
  const requestLog = new RequestLogBuffer(store.requestLog, {
    onError: (error) => logger.error({ err: error }, 'could not write SCIM request log entries'),
  });
  const portal = options.portal === false ? undefined : createPortalHandler(ctx, { logger, flushRequestLog: () => requestLog.flush(), ...options.portal });
  const sso = createSsoHandler(ctx, { logger, maxBodyBytes, signIn: { ...options.sso } });
  const handle = createAppHandler(ctx, { maxBodyBytes, logger, recordRequest: (entry) => requestLog.add(entry) }, portal ? [portal, sso] : [sso]);
  const adapterOptions = { basePath: options.basePath, maxBodyBytes };
  const delivery = createDeliveryRuntime(ctx, { ...options.delivery, logger });

  const admin: ScimitarAdmin = {
    createApiKey: (input) => createApiKey(ctx, input),
    listApiKeys: () => listApiKeys(ctx),
    revokeApiKey: (input) => revokeApiKey(ctx, input),
    createPortalLink: (input) => issuePortalLink(ctx, input),
    createAdminUser: (input) => createAdminUser(ctx, input),
    setAdminPassword: (input) => setAdminPassword(ctx, input),
    createOrganization: (input) => createOrganization(ctx, input),
    createDirectory: (input) => createDirectory(ctx, input),
    rotateToken: (input) => rotateScimToken(ctx, input),
    setDirectoryStatus: (input) => setDirectoryStatus(ctx, input),
    getDirectorySettings: (input) => getDirectorySettings(ctx, input.directoryId),
    updateDirectorySettings: (input) => updateDirectorySettings(ctx, input),
    async requestLog(input) {
      await requestLog.flush();
      return store.requestLog.list(input.directoryId, { errorsOnly: input.errorsOnly, limit: input.limit ?? 100 });
    },
    async purgeRequestLog(before) {
      let total = 0;
      for (const org of await store.organizations.list()) {
        for (const directory of await store.directories.listByOrganization(org.id)) {
          total += await store.requestLog.purge(directory.id, before.toISOString());
        }
      }
      return total;
    },
  };

  // The library API acts for the host app: a connection id alone is enough (the CLI has no --org for it).
  const connectionScope = async (input: { connectionId: string; organizationId?: string }) => {
    const organizationId = input.organizationId ?? (await store.sso.findConnection(input.connectionId))?.organizationId ?? '';
    return { organizationId, connectionId: input.connectionId };
  };
  const ssoAdmin: ScimitarSso = {
    createConnection: async (input) => ssoConnectionView(ctx, await createSsoConnection(ctx, input)),
    listConnections: async (input) => (await listSsoConnections(ctx, input)).map((c) => ssoConnectionView(ctx, c)),
    getConnection: async (input) => ssoConnectionView(ctx, await getSsoConnection(ctx, await connectionScope(input))),
    updateConnection: async (input) => ssoConnectionView(ctx, await updateSsoConnection(ctx, { ...(await connectionScope(input)), patch: input.patch })),
    async refreshMetadata(input) {
      const refreshed = await refreshSsoMetadata(ctx, await connectionScope(input));
      return { connection: ssoConnectionView(ctx, refreshed.connection), changes: refreshed.changes };
    },
    deleteConnection: async (input) => deleteSsoConnection(ctx, await connectionScope(input)),
    attempts: async (input) => listSsoAttempts(ctx, { ...input, ...(await connectionScope(input)) }),
    getSettings: (input) => getSsoSettings(ctx, input),
    updateSettings: (input) => updateSsoSettings(ctx, input),
  };

  const timers: NodeJS.Timeout[] = [];
  if (options.maintenance !== false) {
    const retentionMs = (options.requestLogRetentionDays ?? 30) * 24 * 3_600_000;
    const every = (ms: number, task: () => Promise<unknown>, what: string) => {
      const run = () => task().catch((error: unknown) => logger.error({ err: error }, `${what} failed`));
      const timer = setInterval(run, ms);
      timer.unref();
      timers.push(timer);
      return run;
    };
    every(10_000, () => database.dialect.refreshPlannerStatistics(database.db), 'refreshing planner statistics');
    void every(3_600_000, async () => {
      const removed = await admin.purgeRequestLog(new Date(Date.now() - retentionMs));
      if (removed > 0) logger.info({ removed }, 'request log retention: old entries removed');
      await store.portal.purgeExpired(ctx.clock.now().toISOString());
    }, 'request log and portal session retention')();
    // SAML sign-in leftovers: expired requests, codes (they hold profiles) and replay entries; attempts
    // are kept as long as the request log.
    void every(300_000, async () => {
      const now = ctx.clock.now();
      await store.sso.purgeExpired(now.toISOString(), new Date(now.getTime() - retentionMs).toISOString());
    }, 'SSO sign-in retention')();
    const eventRetentionMs = (options.eventRetentionDays ?? 30) * 24 * 3_600_000;
    void every(3_600_000, async () => {
      const removed = await delivery.purgeExpired(new Date(ctx.clock.now().getTime() - eventRetentionMs));
      if (removed.events + removed.history > 0) logger.info(removed, 'event retention: old events and delivery history removed');
    }, 'event retention')();
  }

  return {
    handle,
    fetch: toFetchHandler(handle, adapterOptions),
    node: toNodeHandler(handle, adapterOptions),
    fastify: (instance) => scimitarFastifyPlugin(instance, { handle, maxBodyBytes }),
    admin,
    store,
    databaseDescription: database.description,
    webhooks: delivery.webhooks,
    sso: ssoAdmin,
    deliverNow: delivery.deliverNow,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await delivery.stop();
      await requestLog.flush();
      await database.close();
    },
  };
}
