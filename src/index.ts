/**
 * Scimitar's public library API. Re-exports only.
 */
export { createScimitar, type Scimitar, type ScimitarAdmin, type ScimitarOptions } from './runtime/create-scimitar.js';
export { ServiceError, type ErrorCode } from './domain/errors.js';
export type { EventCatalogue, EventType } from './domain/events.js';
export type { Directory, Organization, Provider, DirectoryStatus } from './domain/model.js';
export type { DirectorySettings, RoleMapping } from './domain/directory-settings.js';
export type { HttpRequest, HttpResponse, Logger } from './http/types.js';
export { verifyWebhook, WebhookVerificationError } from './events/signature.js';
export type { SsoConnection, SsoPolicy, SsoProfile } from './domain/sso.js';
