/** Mount prefixes: '/identity' mounts Scimitar's /scim/v2/... at /identity/scim/v2/... */
export function normalizeBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  return '/' + basePath.replace(/^\/+|\/+$/g, '');
}

/** The path below the mount point, or undefined when the path is outside it. */
export function stripBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(basePath + '/') ? pathname.slice(basePath.length) : undefined;
}
