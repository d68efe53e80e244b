/**
 * A directory's connection health in words, from its SCIM request log: waiting for the first
 * request, connected (last request at ...), or failing (N errors in the last hour).
 */
import type { RequestLogSummary } from '../app/ports.js';
import type { Directory } from '../domain/model.js';
import { relativeTime, type Tone } from './components.js';


export interface Health {
  tone: Tone;
  /** One short phrase: "Connected", "Failing", "Waiting for Okta". */
  headline: string;
  /** The sentence under it. */
  detail: string;
}

const PROVIDER_NAMES: Record<Directory['provider'], string> = { okta: 'Okta', entra: 'Microsoft Entra ID', generic: 'your identity provider' };

export const providerName = (provider: Directory['provider']): string => PROVIDER_NAMES[provider];

export function describeHealth(directory: Directory, summary: RequestLogSummary, now: Date): Health {
  const idp = PROVIDER_NAMES[directory.provider];
  if (directory.status === 'inactive') {
    return { tone: 'muted', headline: 'Switched off', detail: `Provisioning is off: every request from ${idp} is refused (403) until the directory is switched on.` };
  }
  if (summary.total === 0 || !summary.lastRequestAt) {
    return { tone: 'warn', headline: `Waiting for ${idp}`, detail: `No request from ${idp} has arrived yet. Finish the setup steps, then use "Test API Credentials" in ${idp === 'Okta' ? 'Okta' : idp}.` };
  }
  const last = `last request ${relativeTime(summary.lastRequestAt, now)}${summary.lastClientIp ? ` from ${summary.lastClientIp}` : ''}`;
  if (summary.errorsSince > 0 && summary.lastStatus !== null && summary.lastStatus >= 400) {
    return { tone: 'bad', headline: 'Failing', detail: `${summary.errorsSince} ${summary.errorsSince === 1 ? 'error' : 'errors'} in the last hour; ${last} failed (${summary.lastStatus}). See the request log for the cause and the fix.` };
  }
  if (summary.errorsSince > 0) {
    return { tone: 'warn', headline: 'Connected, with errors', detail: `${summary.errorsSince} of ${summary.requestsSince} requests in the last hour failed; ${last} succeeded.` };
  }
  return { tone: 'ok', headline: 'Connected', detail: `${capitalize(last)}; ${summary.requestsSince} ${summary.requestsSince === 1 ? 'request' : 'requests'} in the last hour, none failed.` };
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
