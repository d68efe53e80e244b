/**
 * The API reference as one server-rendered HTML page, made from the OpenAPI document: no
 * script, no CDN, no external asset. The only inline style is allowed by its hash in a strict
 * Content-Security-Policy, so the page cannot load or run anything else.
 */
import { createHash } from 'node:crypto';
import type { JsonSchema } from './route-types.js';
import type { OpenApiDocument, Operation } from './openapi.js';

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1,h2,h3{line-height:1.2}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}
code,pre{font:13px ui-monospace,monospace;background:#f5f5f5;border-radius:3px}code{padding:0 .2rem}pre{padding:.6rem;overflow:auto}
.op{border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:4rem;font-weight:700}.get{color:#0a6}.post{color:#06c}.patch{color:#a60}.delete{color:#c22}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #eee;padding:.2rem .5rem;vertical-align:top}
nav a{margin-right:1rem}
`.trim();

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

export const DOCS_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escape = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Inline markdown of the descriptions: `code` only. */
const text = (value: unknown): string => escape(value ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');

function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  const refName = typeof schema['$ref'] === 'string' ? schema['$ref'].split('/').pop()! : undefined;
  if (refName) return `<a href="#schema-${escape(refName)}">${escape(refName)}</a>`;
  if (Array.isArray(schema['oneOf'])) return (schema['oneOf'] as JsonSchema[]).map(typeOf).join(' | ');
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map((v) => `<code>${escape(v)}</code>`).join(' | ');
  const type = Array.isArray(schema['type']) ? (schema['type'] as string[]).join(' | ') : String(schema['type'] ?? 'any');
  if (type === 'array') return `array of ${typeOf(schema['items'] as JsonSchema)}`;
  return escape(type);
}

function properties(schema: JsonSchema): string {
  const props = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (!props) return `<p>${typeOf(schema)}${schema['description'] ? ' — ' + text(schema['description']) : ''}</p>`;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(
    ([name, p]) => `<tr><td><code>${escape(name)}</code>${required.has(name) ? '' : ' <small>optional</small>'}</td><td>${typeOf(p)}</td><td>${text(p['description'])}</td></tr>`,
  );
  return `<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>${rows.join('')}</table>`;
}

function renderOperation(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? []).map(
    (p) => `<tr><td><code>${escape(p['name'])}</code></td><td>${escape(p['in'])}</td><td>${typeOf(p['schema'] as JsonSchema)}</td><td>${text(p['description'])}</td></tr>`,
  );
  const body = op.requestBody ? ((op.requestBody['content'] as Record<string, { schema: JsonSchema }>)['application/json']?.schema ?? undefined) : undefined;
  const responses = Object.entries(op.responses).map(([status, r]) => {
    const schema = (r['content'] as Record<string, { schema: JsonSchema }> | undefined)?.['application/json']?.schema;
    return `<tr><td>${escape(status)}</td><td>${text(r['description'])}</td><td>${schema ? typeOf(schema) : ''}</td></tr>`;
  });
  return [
    `<div class="op" id="op-${escape(op.operationId)}">`,
    `<h3><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>`,
    `<p><strong>${text(op.summary)}</strong>${op.security?.length === 0 ? ' (no API key needed)' : ''}</p>`,
    op.description ? `<p>${text(op.description)}</p>` : '',
    params.length ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>${params.join('')}</table>` : '',
    body ? `<h4>Request body (application/json)</h4>${properties(body)}` : '',
    `<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>${responses.join('')}</table>`,
    `</div>`,
  ].join('\n');
}

export function renderDocsPage(doc: OpenApiDocument): { headers: Record<string, string>; body: string } {
  const sections = doc.tags.map((tag) => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([, op]) => op.tags.includes(tag.name)).map(([method, op]) => renderOperation(method, path, op)),
    );
    return `<h2 id="tag-${escape(tag.name)}">${escape(tag.name)}</h2><p>${text(tag.description)}</p>${ops.join('\n')}`;
  });
  const schemas = Object.entries((doc.components['schemas'] ?? {}) as Record<string, JsonSchema>).map(
    ([name, schema]) => `<h3 id="schema-${escape(name)}">${escape(name)}</h3>${properties(schema)}`,
  );
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(doc.info.title)} <small>v${escape(doc.info.version)}</small></h1>
<p>${text(doc.info.description)}</p>
<p>Base URL: <code>${escape(doc.servers[0]?.url ?? '')}</code>. Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<nav>${doc.tags.map((t) => `<a href="#tag-${escape(t.name)}">${escape(t.name)}</a>`).join('')}<a href="#schemas">Schemas</a></nav>
${sections.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}
</body></html>
`;
  return {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DOCS_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
    body,
  };
}
