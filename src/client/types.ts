/**
 * The wire shapes of the REST API as the client returns them. The directory shapes are the
 * normalized ones of domain/ (the same objects webhooks carry); type-only imports, so the
 * client bundles no server code.
 */
import type { DirectoryGroup, DirectoryUser, UserState } from '../domain/directory-view.js';
import type { DirectoryEvent } from '../domain/events.js';
import type { Directory, Organization, Provider } from '../domain/model.js';

export type { DirectoryGroup, DirectoryUser, DirectoryUserEmail, DirectoryUserManager, UserState } from '../domain/directory-view.js';
export type { DirectoryEvent, EventCatalogue, EventType } from '../domain/events.js';
export type { Organization, Provider, DirectoryStatus } from '../domain/model.js';

export type ApiDirectory = Omit<Directory, 'settings'> & { scimBaseUrl: string };

export interface CreatedDirectory {
  directory: ApiDirectory;
  scimBaseUrl: string;
  /** The SCIM bearer token: shown only in this response. */
  token: string;
}

export interface RotatedToken {
  directoryId: string;
  scimBaseUrl: string;
  token: string;
  tokenId: string;
  previousTokensExpireAt: string | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface EventsPage {
  data: DirectoryEvent[];
  /** Always present: pass as `after` next time (equal to `after` when nothing is new). */
  nextCursor: string;
}

export interface UserFilters {
  email?: string;
  groupId?: string;
  state?: UserState;
  /** Page size of the underlying requests (1 to 1000). */
  limit?: number;
}

export interface PollOptions {
  after?: string;
  limit?: number;
  directoryId?: string;
  organizationId?: string;
}

export interface WebhookEndpoint {
  id: string;
  /** null: the endpoint receives the events of every organization. */
  organizationId: string | null;
  url: string;
  /** Event types delivered, or ['*'] for all. */
  eventTypes: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  endpointId: string;
  directoryId: string;
  eventId: string;
  eventSequence: number;
  eventType: string;
  attempt: number;
  at: string;
  /** null when no response came (timeout, refused connection). */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: 'delivered' | 'failed' | 'dead' | 'redelivered';
}

export interface DeadLetter {
  endpointId: string;
  directoryId: string;
  eventId: string;
  eventSequence: number;
  eventType: string;
  attempts: number;
  lastError: string | null;
  diedAt: string;
  redeliverRequestedAt: string | null;
  redeliveredAt: string | null;
}

export interface CreatedWebhookEndpoint {
  endpoint: WebhookEndpoint;
  /** The signing secret (whsec_…): shown only in this response. */
  secret: string;
}

export type CreateDirectoryInput = { organizationId?: string; provider: Provider; name?: string };

/** A setup link (POST /organizations/{id}/portal-links): `url` is shown only in this answer. */
export interface PortalLink {
  id: string;
  organizationId: string;
  url: string;
  expiresAt: string;
}

/** The signed-in user, as POST /sso/token returns it. */
export interface SsoProfile {
  userId: string;
  directoryId: string;
  organizationId: string;
  connectionId: string;
  subject: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  roles: string[];
  rawAttributes: Record<string, string[]>;
  provisioning: 'created' | 'updated' | 'linked' | 'unchanged';
}
