/** A small SCIM client over real HTTP, shaped like the requests Okta and Entra send. */
export interface ScimResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class ScimClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
    private readonly authorization: string = `Bearer ${token}`,
  ) {}

  withAuthorization(value: string | undefined): ScimClient {
    const client = new ScimClient(this.baseUrl, this.token, value as string);
    return client;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResult> {
    const h: Record<string, string> = { accept: 'application/scim+json', ...headers };
    if (this.authorization !== undefined) h['authorization'] = this.authorization;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/scim+json; charset=utf-8';
    }
    const response = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  patch(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The user body Okta's SCIM 2.0 template apps send on Create User. */
export function oktaUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [local] = userName.split('@');
  return {
    schemas: [USER_URN],
    userName,
    name: { givenName: local, familyName: 'Tester' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${local} Tester`,
    locale: 'en-US',
    externalId: `00u${Buffer.from(userName).toString('hex').slice(0, 17)}`,
    groups: [],
    password: 'Sup3r-secret!',
    active: true,
    ...extra,
  };
}
