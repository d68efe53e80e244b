/**
 * Kysely table types of the webhook delivery tables (migration 0002). Kept apart from
 * schema.ts so the delivery side can change without touching the core tables.
 */
export interface WebhookEndpointsTable {
  /** '' for an endpoint that receives every organization's events. */
  organization_id: string;
  id: string;
  url: string;
  secret: string;
  /** JSON array of event types, or ["*"]. */
  event_types: string;
  enabled: number;
  enabled_at: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookStreamsTable {
  directory_id: string;
  endpoint_id: string;
  settled_seq: number;
  attempts: number;
  next_attempt_at: string;
  leased_until: string | null;
  leased_by: string | null;
}

export interface WebhookAttemptsTable {
  directory_id: string;
  endpoint_id: string;
  event_seq: number;
  attempt: number;
  event_id: string;
  event_type: string;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  outcome: string;
}

export interface WebhookDeadLettersTable {
  directory_id: string;
  endpoint_id: string;
  event_seq: number;
  event_id: string;
  event_type: string;
  attempts: number;
  last_error: string | null;
  died_at: string;
  redeliver_requested_at: string | null;
  redelivered_at: string | null;
  leased_until: string | null;
  leased_by: string | null;
}
