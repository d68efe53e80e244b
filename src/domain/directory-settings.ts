/**
 * Per-directory mapping rules (the seeds' rules of issue 3): roles from groups (Envi's `Envi_`
 * prefix, explicit group -> role mappings) and department groups (MangoApps). Stored as JSON on
 * the directory row, read with every SCIM request at no extra cost. Every rule is off by default.
 */

export interface RoleMapping {
  /** A group's displayName, matched case-insensitively. */
  group: string;
  role: string;
}

export interface DirectorySettings {
  roles: {
    /** Groups whose name starts with this (case-insensitively) grant the rest of their name as a role. */
    prefix?: string;
    mappings: RoleMapping[];
  };
  /** A user whose department becomes X joins the group named X (created if missing). */
  departmentGroups: { enabled: boolean };
}

export const DEFAULT_DIRECTORY_SETTINGS: DirectorySettings = Object.freeze({
  roles: Object.freeze({ mappings: Object.freeze([]) as unknown as RoleMapping[] }),
  departmentGroups: Object.freeze({ enabled: false }),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings from their stored JSON. Writes are validated (app/rules/settings.ts), so this only
 * fills defaults and ignores what it does not recognise: a hand-edited row never breaks SCIM.
 */
export function readDirectorySettings(json: unknown): DirectorySettings {
  if (!isObject(json)) return DEFAULT_DIRECTORY_SETTINGS;
  const roles = isObject(json['roles']) ? json['roles'] : {};
  const prefix = typeof roles['prefix'] === 'string' && roles['prefix'].length > 0 ? roles['prefix'] : undefined;
  const mappings = Array.isArray(roles['mappings'])
    ? roles['mappings'].flatMap((m): RoleMapping[] =>
        isObject(m) && typeof m['group'] === 'string' && typeof m['role'] === 'string' && m['group'] && m['role'] ? [{ group: m['group'], role: m['role'] }] : [],
      )
    : [];
  const department = isObject(json['departmentGroups']) ? json['departmentGroups'] : {};
  return {
    roles: prefix === undefined ? { mappings } : { prefix, mappings },
    departmentGroups: { enabled: department['enabled'] === true },
  };
}

/** True when some group can grant a role: only then do membership changes touch user_roles. */
export function roleRulesOn(settings: DirectorySettings): boolean {
  return settings.roles.prefix !== undefined || settings.roles.mappings.length > 0;
}
