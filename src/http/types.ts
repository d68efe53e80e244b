/**
 * The framework-independent request and response every handler speaks. Adapters
 * (Fastify, fetch, node:http) translate to and from these; handlers never see a framework.
 */
export interface HttpRequest {
  method: string;
  /** Path relative to where Scimitar is mounted, starting with '/', without the query. */
  path: string;
  /** Raw query string without '?', still form-encoded. */
  query: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  body?: string | Uint8Array;
  clientIp?: string | null;
  requestId?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** The slice of pino's interface handlers use, so any compatible logger fits. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
