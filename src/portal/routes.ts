/** Every page of the portal behind a session. The gate (handler.ts) checks session, CSRF and tenancy first. */
import type { PortalRoute } from './page-context.js';
import { consoleRoutes } from './pages/console.js';
import { credentialsRoutes } from './pages/credentials.js';
import { setupRoutes } from './pages/directory-setup.js';
import { organizationRoutes } from './pages/organization.js';
import { usersRoutes } from './pages/users.js';
import { groupsRoutes } from './pages/groups.js';
import { webhookRoutes } from './pages/webhooks.js';
import { requestLogRoutes } from './pages/request-log.js';
import { mappingRoutes } from './pages/mapping.js';
import { ssoRoutes } from './pages/sso.js';

export const PORTAL_ROUTES: readonly PortalRoute[] = [...organizationRoutes, ...setupRoutes, ...credentialsRoutes, ...consoleRoutes, ...webhookRoutes, ...usersRoutes, ...groupsRoutes, ...requestLogRoutes, ...mappingRoutes, ...ssoRoutes];
