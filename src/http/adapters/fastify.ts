/**
 * Fastify adapter: a plugin that serves every path below its prefix through the framework-free
 * handler. Bodies arrive raw (the core parses JSON itself, so a syntax error is a SCIM
 * invalidSyntax, not Fastify's error shape); framework errors are rendered as JSON too.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../domain/errors.js';
import type { Handler } from '../app-handler.js';
import { jsonResponse } from '../app-handler.js';
import { scimError } from '../scim/handler.js';
import type { HttpResponse } from '../types.js';

export interface FastifyAdapterOptions {
  handle: Handler;
  maxBodyBytes: number;
}

export function send(reply: FastifyReply, response: HttpResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body ?? null);
}

/** Error responses for failures Fastify raises before our handler runs (size, malformed HTTP). */
export function frameworkError(request: FastifyRequest, error: FastifyError, prefix: string): HttpResponse {
  const tooLarge = error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
  const isScim = request.url.slice(prefix.length).startsWith('/scim/');
  const status = tooLarge ? 413 : error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const message = tooLarge ? 'the request body is too large' : status === 500 ? 'internal error' : error.message;
  if (isScim) {
    const code = tooLarge ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal' : 'invalid_syntax';
    return scimError(new ServiceError(code, message));
  }
  return jsonResponse(status, { error: { code: tooLarge ? 'payload_too_large' : 'bad_request', message } });
}

export async function scimitarFastifyPlugin(fastify: FastifyInstance, options: FastifyAdapterOptions): Promise<void> {
  const prefix = fastify.prefix;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_request, body, done) => done(null, body));

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    if ((error.statusCode ?? 500) >= 500) request.log.error({ err: error }, 'request failed before reaching Scimitar');
    return send(reply, frameworkError(request, error, prefix));
  });

  fastify.all('/*', async (request, reply) => {
    const [pathname, query = ''] = request.url.split(/\?(.*)/s, 2) as [string, string?];
    const response = await options.handle({
      method: request.method,
      path: pathname.slice(prefix.length) || '/',
      query,
      headers: request.headers as Record<string, string | undefined>,
      body: request.body as Buffer | undefined,
      clientIp: request.ip,
      requestId: String(request.id),
    });
    return send(reply, response);
  });
}
