/** Assembles the repositories over one database and gives use cases real transactions. */
import type { Repositories, Store } from '../app/ports.js';
import type { IdGenerator } from '../domain/ids.js';
import type { OpenDatabase } from './dialects/dialect.js';
import type { RepoContext } from './db-types.js';
import { createEventLog } from './events.js';
import { createGroupCommit } from './group-commit.js';
import { createGroupRepository } from './groups.js';
import { createMembershipRepository } from './memberships.js';
import { createRequestLog } from './request-log.js';
import { createRoleRepository } from './roles.js';
import { createDirectorySettingsRepository } from './directory-settings.js';
import { createDirectoryRepository, createOrganizationRepository, createTokenRepository } from './tenants.js';
import { createUserRepository } from './users.js';
import { createApiKeyRepository } from './api-keys.js';
import { createDirectoryReadRepository } from './directory-read.js';
import { createWebhookRepository } from './webhooks.js';
import { createDeliveryQueue } from './webhook-deliveries.js';
import { createPortalRepository } from './portal.js';
import { createSsoRepository } from './sso.js';

function repositories(context: RepoContext, ids: IdGenerator): Repositories {
  return {
    organizations: createOrganizationRepository(context),
    directories: createDirectoryRepository(context),
    tokens: createTokenRepository(context),
    users: createUserRepository(context),
    groups: createGroupRepository(context),
    memberships: createMembershipRepository(context),
    roles: createRoleRepository(context),
    directorySettings: createDirectorySettingsRepository(context),
    events: createEventLog(context, () => ids.next('evt')),
    requestLog: createRequestLog(context),
    apiKeys: createApiKeyRepository(context),
    webhooks: createWebhookRepository(context),
    deliveries: createDeliveryQueue(context),
    directoryRead: createDirectoryReadRepository(context),
    portal: createPortalRepository(context),
    sso: createSsoRepository(context),
  };
}

export function createStore(database: OpenDatabase, ids: IdGenerator): Store {
  const { db, dialect } = database;
  // SQLite has one writer: batch concurrent units into one COMMIT. PostgreSQL runs them in parallel.
  const groupCommit = dialect.name === 'sqlite' ? createGroupCommit(db) : undefined;
  return {
    ...repositories({ db, dialect }, ids),
    dialect: dialect.name,
    transaction: groupCommit
      ? (work) => groupCommit((conn) => work(repositories({ db: conn, dialect }, ids)))
      : (work) => db.transaction().execute((trx) => work(repositories({ db: trx, dialect }, ids))),
  };
}
