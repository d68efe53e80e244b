/**
 * Configuration: a schema with documented defaults, resolved from an object and/or the
 * environment into a frozen Config. No I/O at import; errors name the setting.
 */
import { z } from 'zod';

export interface Config {
  /** TCP port of the standalone server. env PORT, default 8080. */
  port: number;
  /** Interface to listen on. env HOST, default 0.0.0.0 (all interfaces). */
  host: string;
  /** Public base URL the IdP reaches, no trailing slash. env SCIMITAR_PUBLIC_URL, default http://localhost:<port>. */
  publicUrl: string;
  /** postgres://... or sqlite:<path>. env DATABASE_URL, default sqlite:./data/scimitar.db. */
  databaseUrl: string;
  /** PostgreSQL connection pool size. env DATABASE_POOL_SIZE, default 10. */
  databasePoolSize: number;
  /** Largest SCIM page (count). env SCIM_MAX_PAGE_SIZE, default 1000. */
  maxPageSize: number;
  /** Largest SCIM request body in bytes. env SCIM_MAX_BODY_BYTES, default 1048576 (1 MiB). */
  maxBodyBytes: number;
  /** Hours a rotated-out SCIM token keeps working. env SCIM_TOKEN_GRACE_HOURS, default 24. */
  tokenGraceHours: number;
  /** Days the SCIM request log is kept. env REQUEST_LOG_RETENTION_DAYS, default 30. */
  requestLogRetentionDays: number;
  /** Days events are kept (a webhook stream's unsent events are kept longer). env EVENT_RETENTION_DAYS, default 30. */
  eventRetentionDays: number;
  /** Webhook request timeout in milliseconds. env WEBHOOK_TIMEOUT_MS, default 10000. */
  webhookTimeoutMs: number;
  /** How often an idle delivery worker looks for new events, in milliseconds. env WEBHOOK_POLL_INTERVAL_MS, default 1000. */
  webhookPollIntervalMs: number;
  /** Webhook streams (directory x endpoint) one process delivers at once, each in order. env WEBHOOK_CONCURRENCY, default 8. */
  webhookConcurrency: number;
  /** pino level: fatal, error, warn, info, debug, trace, silent. env LOG_LEVEL, default info. */
  logLevel: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/scimitar.db';

const positiveInt = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be positive`);

const schema = z.object({
  port: positiveInt('port').max(65535, 'port must be at most 65535').default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  publicUrl: z
    .string()
    .url('publicUrl must be an absolute URL such as https://scim.example.com')
    .refine((u) => /^https?:\/\//.test(u), 'publicUrl must start with http:// or https://')
    .optional(),
  databaseUrl: z.string().min(1, 'databaseUrl must not be empty').default(DEFAULT_DATABASE_URL),
  databasePoolSize: positiveInt('databasePoolSize').default(10),
  maxPageSize: positiveInt('maxPageSize').max(10000, 'maxPageSize must be at most 10000').default(1000),
  maxBodyBytes: positiveInt('maxBodyBytes').default(1024 * 1024),
  tokenGraceHours: z.coerce.number().min(0, 'tokenGraceHours must be 0 or more').default(24),
  requestLogRetentionDays: positiveInt('requestLogRetentionDays').default(30),
  eventRetentionDays: positiveInt('eventRetentionDays').default(30),
  webhookTimeoutMs: positiveInt('webhookTimeoutMs').max(300_000, 'webhookTimeoutMs must be at most 300000 (5 minutes)').default(10_000),
  webhookPollIntervalMs: positiveInt('webhookPollIntervalMs').default(1_000),
  webhookConcurrency: positiveInt('webhookConcurrency').max(256, 'webhookConcurrency must be at most 256').default(8),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const ENV_NAMES: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'SCIMITAR_PUBLIC_URL',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  maxPageSize: 'SCIM_MAX_PAGE_SIZE',
  maxBodyBytes: 'SCIM_MAX_BODY_BYTES',
  tokenGraceHours: 'SCIM_TOKEN_GRACE_HOURS',
  requestLogRetentionDays: 'REQUEST_LOG_RETENTION_DAYS',
  eventRetentionDays: 'EVENT_RETENTION_DAYS',
  webhookTimeoutMs: 'WEBHOOK_TIMEOUT_MS',
  webhookPollIntervalMs: 'WEBHOOK_POLL_INTERVAL_MS',
  webhookConcurrency: 'WEBHOOK_CONCURRENCY',
  logLevel: 'LOG_LEVEL',
};

export class ConfigError extends Error {}

/** Explicit input wins over the environment; empty environment values count as unset. */
export function resolveConfig(input: Partial<Config> = {}, env: Record<string, string | undefined> = {}): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const value = (input as Record<string, unknown>)[key] ?? (env[envName] === '' ? undefined : env[envName]);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'config') as keyof Config;
    throw new ConfigError(`${key} (${ENV_NAMES[key] ?? ''}): ${issue.message}`);
  }
  const value = parsed.data;
  return Object.freeze({
    ...value,
    publicUrl: (value.publicUrl ?? `http://localhost:${value.port}`).replace(/\/+$/, ''),
  });
}
