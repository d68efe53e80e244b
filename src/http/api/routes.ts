/**
 * The REST API's route table, in the order the reference lists them. Adding a route here adds
 * it to the OpenAPI document and the rendered reference too.
 */
import { eventRoutes } from './event-routes.js';
import { managementRoutes } from './management-routes.js';
import { portalRoutes } from './portal-routes.js';
import { readRoutes } from './read-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { ssoRoutes } from './sso-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import type { ApiRoute } from './route-types.js';

export const API_ROUTES: readonly ApiRoute[] = [...managementRoutes, ...portalRoutes, ...ssoRoutes, ...settingsRoutes, ...readRoutes, ...eventRoutes, ...webhookRoutes];
