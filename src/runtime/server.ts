/**
 * The standalone server: Fastify with pino logging (request id on every line), the Scimitar
 * plugin, request-log retention, and a clean shutdown on SIGTERM/SIGINT.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Config } from '../config/config.js';
import { createScimitar, type Scimitar } from './create-scimitar.js';
import { frameworkError, send } from '../http/adapters/fastify.js';
import { redactPath } from '../portal/handler.js';

export interface RunningServer {
  app: FastifyInstance;
  scimitar: Scimitar;
  url: string;
  close(): Promise<void>;
}


export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const logger = pino({
    level: config.logLevel,
    // Authorization carries the SCIM token: never log it.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password'], censor: '[redacted]' },
  });
  const scimitar = await createScimitar({
    database: config.databaseUrl,
    databasePoolSize: config.databasePoolSize,
    publicUrl: config.publicUrl,
    maxPageSize: config.maxPageSize,
    maxBodyBytes: config.maxBodyBytes,
    tokenGraceHours: config.tokenGraceHours,
    requestLogRetentionDays: config.requestLogRetentionDays,
    eventRetentionDays: config.eventRetentionDays,
    delivery: { timeoutMs: config.webhookTimeoutMs, pollIntervalMs: config.webhookPollIntervalMs, maxConcurrentStreams: config.webhookConcurrency },
    logger,
  });
  if (scimitar.databaseDescription.startsWith('SQLite') && config.databaseUrl.includes('./data/')) {
    logger.warn('using the embedded SQLite database in ./data; set DATABASE_URL=postgres://... for production');
  }

  // Typed as the default instance: pino's Logger and Fastify's base logger differ only in generics.
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // One line per request from our onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: true,
    return503OnClosing: true,
    // Errors the router raises before any route runs (a malformed %-escape in the path) get the
    // same JSON shapes as everything else, SCIM errors under /scim.
    frameworkErrors: (error, request, reply) => send(reply, frameworkError(request, error, '')),
  }) as unknown as FastifyInstance;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: redactPath(request.url.split('?')[0]!), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  await app.register(scimitar.fastify);


  // Listen on the raw server so the log carries our one start-up line, not one per interface.
  await app.ready();
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => {
      app.server.off('error', reject);
      resolve();
    });
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { url, publicUrl: config.publicUrl, database: scimitar.databaseDescription, console: `${config.publicUrl}/portal/login` },
    `Scimitar listening on ${url} (public URL ${config.publicUrl}) using ${scimitar.databaseDescription}; developer console at ${config.publicUrl}/portal/login`,
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await scimitar.close();
    })());
  return { app, scimitar, url, close };
}
