/**
 * Reading and changing a directory's mapping settings (roles from groups, department groups).
 * A change to the role rules recomputes the roles of the whole directory in the same transaction
 * as the settings write, with one role event per grant or revocation: never one without the other.
 */
import type { DirectorySettings } from '../../domain/directory-settings.js';
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { NewEvent } from '../../domain/events.js';
import type { Directory } from '../../domain/model.js';
import type { AppContext } from '../context.js';
import type { Repositories } from '../ports.js';
import { recomputeRoles } from '../rules/roles.js';
import { mergeSettings, parseSettingsUpdate, type ParsedSettingsUpdate } from '../rules/settings.js';

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

/** A validated partial update; throws ServiceError('invalid_value') naming the bad value. */
export function parseUpdate(settings: unknown): ParsedSettingsUpdate {
  const update = parseSettingsUpdate(settings);
  if (!update.ok) throw toServiceError(update.error);
  return update.value;
}

export interface SettingsChange {
  settings: DirectorySettings;
  /** The role events the change causes, for this directory; undefined when the role rules did not change. */
  roles?: { directory: Directory; events: NewEvent[] };
}

/**
 * Writes the update inside `tx` and recomputes the roles it moves, without appending events:
 * the update appends them, the preview (preview-directory-settings.ts) reads them and rolls
 * back. One code path, so a preview cannot disagree with the update it announces.
 */
export async function writeSettingsChange(tx: Repositories, directoryId: string, update: ParsedSettingsUpdate, at: string): Promise<SettingsChange> {
  // Locks the directory row: SCIM writes that apply rules wait for this change, then see it.
  const current = await tx.directorySettings.find(directoryId, { forUpdate: true });
  if (!current) throw notFound(directoryId);
  const next = mergeSettings(current, update);
  if (same(current, next)) return { settings: next };
  await tx.directorySettings.write(directoryId, next, at);
  // Department groups only act on future department changes: nothing to recompute for them.
  if (same(current.roles, next.roles)) return { settings: next };
  const directory = await tx.directories.findById(directoryId);
  if (!directory) throw notFound(directoryId);
  return { settings: next, roles: { directory, events: await recomputeRoles(tx, directory.id, next.roles, [{ directory: true }]) } };
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
  const update = parseUpdate(input.settings);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const change = await writeSettingsChange(tx, input.directoryId, update, at);
    if (change.roles) await tx.events.append(change.roles.directory.id, change.roles.directory.organizationId, change.roles.events, at);
    return change.settings;
  });
}
