/** If-Match against a resource's weak ETag (RFC 7644 §3.14); `*` matches any version. */
import { ServiceError } from '../../domain/errors.js';
import { etagOf } from '../../scim/resource-output.js';

export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return;
  const current = etagOf(version);
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  const matches = ifMatch.split(',').some((tag) => strip(tag) === strip(current));
  if (!matches) throw new ServiceError('precondition_failed', `the resource changed: If-Match ${ifMatch.trim()} does not match the current version ${current}`);
}
