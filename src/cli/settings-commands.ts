/**
 * `scimitar directory settings`: shows and changes a directory's mapping rules (roles from
 * groups, department groups). With no change option it only prints them. Changing the role
 * rules recomputes every user's roles at once, with their events.
 */
import { Command, Option } from 'commander';
import type { Config } from '../config/config.js';
import type { DirectorySettings } from '../domain/directory-settings.js';
import type { Scimitar } from '../runtime/create-scimitar.js';
import { withScimitar } from './with-scimitar.js';

type DirectorySettingsUpdate = Parameters<Scimitar['admin']['updateDirectorySettings']>[0]['settings'];

interface SettingsOptions {
  directory: string;
  /** a string from --role-prefix, false from --no-role-prefix, undefined when neither */
  rolePrefix?: string | false;
  mapGroup: string[];
  unmapGroup: string[];
  departmentGroups?: 'on' | 'off';
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `group=role`, split at the last `=` (group names are more likely than roles to hold one). */
function parsePair(value: string, flag: string): { group: string; role: string } {
  const at = value.lastIndexOf('=');
  const group = value.slice(0, at).trim();
  const role = value.slice(at + 1).trim();
  if (at < 0 || !group || !role) throw new Error(`${flag} expects <group>=<role> (got "${value}")`);
  return { group, role };
}

/** The update the options ask for, or undefined when they ask for none (then we only print). */
function updateFrom(o: SettingsOptions, current: DirectorySettings): DirectorySettingsUpdate | undefined {
  const update: DirectorySettingsUpdate = {};
  if (o.rolePrefix !== undefined) update.roles = { prefix: o.rolePrefix === false ? null : o.rolePrefix };
  if (o.mapGroup.length > 0 || o.unmapGroup.length > 0) {
    // --unmap-group first, so `--unmap-group Eng --map-group Eng=Dev` replaces Eng's roles.
    let mappings = current.roles.mappings;
    for (const value of o.unmapGroup) {
      const pair = value.includes('=') ? parsePair(value, '--unmap-group') : { group: value.trim(), role: undefined };
      mappings = mappings.filter((m) => m.group.toLowerCase() !== pair.group.toLowerCase() || (pair.role !== undefined && m.role !== pair.role));
    }
    mappings = [...mappings, ...o.mapGroup.map((v) => parsePair(v, '--map-group'))];
    update.roles = { ...update.roles, mappings };
  }
  if (o.departmentGroups) update.departmentGroups = { enabled: o.departmentGroups === 'on' };
  return Object.keys(update).length > 0 ? update : undefined;
}

function describe(directoryId: string, s: DirectorySettings): string {
  const pad = ' '.repeat(22);
  const mappings = s.roles.mappings.map((m) => `${m.group} -> ${m.role}`);
  return [
    `Mapping rules of directory ${directoryId}`,
    `  Role prefix:        ${s.roles.prefix ? `${s.roles.prefix}  (a group named ${s.roles.prefix}<Role> grants the role <Role>)` : 'none'}`,
    `  Group mappings:     ${mappings.length > 0 ? mappings.join(`\n${pad}`) : 'none'}`,
    `  Department groups:  ${s.departmentGroups.enabled ? 'on  (a user whose department becomes X joins the group X)' : 'off'}`,
  ].join('\n');
}

export function registerSettingsCommands(program: Command, config: () => Readonly<Config>): void {
  const directory = program.commands.find((c) => c.name() === 'directory') ?? program.command('directory').description('directories');
  directory
    .command('settings')
    .description('show or change the mapping rules: roles from groups (prefix, mappings) and department groups')
    .requiredOption('--directory <id>', 'directory id')
    .option('--role-prefix <prefix>', 'groups named <prefix><Role> grant <Role> (case-insensitive), e.g. Envi_')
    .option('--no-role-prefix', 'remove the role prefix')
    .option('--map-group <group=role>', 'the group (case-insensitive) grants the role; repeatable', collect, [])
    .option('--unmap-group <group[=role]>', "remove the group's mappings (or only that role); repeatable", collect, [])
    .addOption(new Option('--department-groups <state>', 'a user whose department becomes X joins the group X').choices(['on', 'off']))
    .option('--json', 'print JSON')
    .action((o: SettingsOptions) =>
      withScimitar(config(), async (s) => {
        const current = await s.admin.getDirectorySettings({ directoryId: o.directory });
        const update = updateFrom(o, current);
        const settings = update ? await s.admin.updateDirectorySettings({ directoryId: o.directory, settings: update }) : current;
        console.log(o.json ? JSON.stringify(settings, null, 2) : describe(o.directory, settings));
      }),
    );
}
