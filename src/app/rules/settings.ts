/**
 * Validation and merging of a directory's mapping settings. An update is partial: what it names
 * replaces the current value (`roles.mappings` as a whole list), the rest is kept. Unknown keys
 * are refused, so a typo (`departmentGroup`) fails loudly instead of silently doing nothing.
 */
import { z } from 'zod';
import type { DirectorySettings, RoleMapping } from '../../domain/directory-settings.js';
import { err, ok, type Result } from '../../domain/result.js';
import { problem, type Problem } from '../../domain/errors.js';

const MAX_MAPPINGS = 500;
const name = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

const updateSchema = z.strictObject({
  roles: z
    .strictObject({
      /** null or "" removes the prefix */
      prefix: z.string().max(100, 'must be at most 100 characters').nullable().optional(),
      mappings: z.array(z.strictObject({ group: name, role: name })).max(MAX_MAPPINGS, `must have at most ${MAX_MAPPINGS} entries`).optional(),
    })
    .optional(),
  departmentGroups: z.strictObject({ enabled: z.boolean().optional() }).optional(),
});

export type DirectorySettingsUpdate = z.input<typeof updateSchema>;
/** An update once validated (what mergeSettings applies). */
export type ParsedSettingsUpdate = z.output<typeof updateSchema>;

/** Parses an update; the error names the dotted path of the first bad value (`settings.roles.prefix ...`). */
export function parseSettingsUpdate(input: unknown): Result<z.output<typeof updateSchema>, Problem> {
  const parsed = updateSchema.safeParse(input ?? {});
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0]!;
  const path = ['settings', ...issue.path.map(String)].join('.');
  return err(problem('invalid_value', `${path}: ${issue.message}`));
}

/** Mappings without duplicates (same group, case-insensitively, and same role), first one kept. */
function uniqueMappings(mappings: RoleMapping[]): RoleMapping[] {
  const seen = new Set<string>();
  return mappings.filter((m) => {
    const key = JSON.stringify([m.group.toLowerCase(), m.role]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The full settings after applying a parsed update to the current ones. */
export function mergeSettings(current: DirectorySettings, update: z.output<typeof updateSchema>): DirectorySettings {
  const roles = update.roles ?? {};
  const prefix = roles.prefix === undefined ? current.roles.prefix : roles.prefix?.trim() ? roles.prefix : undefined;
  const mappings = uniqueMappings(roles.mappings ?? current.roles.mappings);
  return {
    roles: prefix === undefined ? { mappings } : { prefix, mappings },
    departmentGroups: { enabled: update.departmentGroups?.enabled ?? current.departmentGroups.enabled },
  };
}
