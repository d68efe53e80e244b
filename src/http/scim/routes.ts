/**
 * The SCIM route table under /scim/v2/<directoryId>: which resource and verb a path and
 * method name. Pure matching; answers `method_not_allowed` with the allowed methods.
 */
export type ScimRoute =
  | { kind: 'users' | 'groups'; action: 'list' | 'create' | 'search' }
  | { kind: 'user' | 'group'; action: 'get' | 'replace' | 'patch' | 'delete'; id: string }
  | { kind: 'serviceProviderConfig' }
  | { kind: 'resourceTypes'; name?: string }
  | { kind: 'schemas'; urn?: string };

export type RouteMatch =
  | { ok: true; directoryId: string; route: ScimRoute }
  | { ok: false; reason: 'not_scim' }
  | { ok: false; reason: 'not_found'; directoryId: string }
  | { ok: false; reason: 'method_not_allowed'; directoryId: string; allow: string[] };

const PREFIX = /^\/scim\/v2\/([^/]+)(\/.*)?$/;

export function matchScimRoute(method: string, path: string): RouteMatch {
  const m = PREFIX.exec(path);
  if (!m) return { ok: false, reason: 'not_scim' };
  const directoryId = decodeURIComponent(m[1]!);
  const rest = (m[2] ?? '').replace(/\/+$/, '');
  const segments = rest.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const verb = method.toUpperCase();

  const allow = (methods: string[], route: (v: string) => ScimRoute | undefined): RouteMatch => {
    const matched = methods.includes(verb) ? route(verb) : undefined;
    return matched ? { ok: true, directoryId, route: matched } : { ok: false, reason: 'method_not_allowed', directoryId, allow: methods };
  };

  const [first, second, ...more] = segments;
  if (more.length > 0 || first === undefined) return { ok: false, reason: 'not_found', directoryId };
  const collection = first === 'Users' ? 'users' : first === 'Groups' ? 'groups' : undefined;
  if (collection) {
    if (second === undefined) return allow(['GET', 'POST'], (v) => ({ kind: collection, action: v === 'GET' ? 'list' : 'create' }));
    if (second === '.search') return allow(['POST'], () => ({ kind: collection, action: 'search' }));
    const kind = collection === 'users' ? 'user' : 'group';
    const actions: Record<string, 'get' | 'replace' | 'patch' | 'delete'> = { GET: 'get', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };
    return allow(['GET', 'PUT', 'PATCH', 'DELETE'], (v) => ({ kind, action: actions[v]!, id: second }));
  }
  if (first === 'ServiceProviderConfig' && second === undefined) return allow(['GET'], () => ({ kind: 'serviceProviderConfig' }));
  if (first === 'ResourceTypes') return allow(['GET'], () => ({ kind: 'resourceTypes', ...(second ? { name: second } : {}) }));
  if (first === 'Schemas') return allow(['GET'], () => ({ kind: 'schemas', ...(second ? { urn: second } : {}) }));
  return { ok: false, reason: 'not_found', directoryId };
}
