/**
 * Like ssh with a private key, a file holding credentials that others can read gets a warning.
 */
import { AUTH_SETTINGS } from './settings.js';

const SECRET_KEYS = new Set(AUTH_SETTINGS.filter((s) => s.secret).flatMap((s) => [s.key, ...s.fileAliases]));

/** True when a secret-bearing key (password, application_credential_secret, token) has a value at any depth. */
export function holdsSecret(data: unknown): boolean {
  if (Array.isArray(data)) return data.some(holdsSecret);
  if (!data || typeof data !== 'object') return false;
  return Object.entries(data).some(([key, value]) =>
    SECRET_KEYS.has(key.replaceAll('-', '_')) ? value !== null && value !== undefined && value !== '' : holdsSecret(value),
  );
}

/** The warning for a file holding credentials, or undefined when only its owner can read it. */
export function exposureWarning(file: string, mode: number): string | undefined {
  const open = [mode & 0o070 ? 'group' : '', mode & 0o007 ? 'others' : ''].filter(Boolean);
  if (open.length === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return `${file}: holds credentials but is accessible by ${open.join(' and ')} (mode ${octal}); run chmod 600 ${file}`;
}
