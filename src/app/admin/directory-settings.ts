/**
 * Reading and changing a directory's mapping settings (roles from groups, department groups).
 * A change to the role rules recomputes the roles of the whole directory in the same transaction
 * as the settings write, with one role event per grant or revocation: never one without the other.
 */
import type { DirectorySettings } from '../../domain/directory-settings.js';
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { recomputeRoles } from '../rules/roles.js';
import { mergeSettings, parseSettingsUpdate } from '../rules/settings.js';

export type { DirectorySettings } from '../../domain/directory-settings.js';
export type { DirectorySettingsUpdate } from '../rules/settings.js';

/** Settings objects are built in one key order (domain/directory-settings.ts, rules/settings.ts). */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function notFound(directoryId: string): ServiceError {
  return new ServiceError('not_found', `directory ${directoryId} does not exist`);
}

export async function getDirectorySettings(ctx: AppContext, directoryId: string): Promise<DirectorySettings> {
  const settings = await ctx.store.directorySettings.find(directoryId);
  if (!settings) throw notFound(directoryId);
  return settings;
}

/**
 * Applies a partial update (what it names replaces the current value; `roles.mappings` is
 * replaced as a whole list) and returns the full settings.
 */
export async function updateDirectorySettings(
  ctx: AppContext,
  // unknown: the REST API passes the request body as it came; it is validated here.
  input: { directoryId: string; settings: unknown },
): Promise<DirectorySettings> {
  const update = parseSettingsUpdate(input.settings);
  if (!update.ok) throw toServiceError(update.error);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    // Locks the directory row: SCIM writes that apply rules wait for this change, then see it.
    const current = await tx.directorySettings.find(input.directoryId, { forUpdate: true });
    if (!current) throw notFound(input.directoryId);
    const next = mergeSettings(current, update.value);
    if (same(current, next)) return next;
    await tx.directorySettings.write(input.directoryId, next, at);
    // Department groups only act on future department changes: nothing to recompute for them.
    if (same(current.roles, next.roles)) return next;
    const directory = await tx.directories.findById(input.directoryId);
    if (!directory) throw notFound(input.directoryId);
    const events = await recomputeRoles(tx, directory.id, next.roles, [{ directory: true }]);
    await tx.events.append(directory.id, directory.organizationId, events, at);
    return next;
  });
}
