/**
 * Every URL of the portal, built in one place so links keep working under a mount prefix
 * (the public URL's path) and ids are always encoded.
 */
export class PortalPaths {
  /** e.g. '/portal' or '/identity/portal' */
  readonly root: string;

  constructor(publicUrl: string) {
    this.root = `${new URL(publicUrl).pathname.replace(/\/+$/, '')}/portal`;
  }

  home = (): string => this.root;
  login = (): string => `${this.root}/login`;
  logout = (): string => `${this.root}/logout`;
  asset = (name: string): string => `${this.root}/assets/${name}`;
  link = (token: string): string => `${this.root}/link/${encodeURIComponent(token)}`;
  console = (sub = ''): string => `${this.root}/console${sub}`;
  org = (orgId: string, sub = ''): string => `${this.root}/o/${encodeURIComponent(orgId)}${sub}`;
  dir = (orgId: string, dirId: string, sub = ''): string => this.org(orgId, `/d/${encodeURIComponent(dirId)}${sub}`);
}
