import type { InventoryAuth } from './types.js';

const SECRET_FIELD = /password|secret|token/i;

/**
 * Like ssh with a private key: an inventory that holds a secret should not be readable by others.
 * Returns the warning for the caller to print, or undefined.
 */
export function secretExposureWarning(auth: InventoryAuth | undefined, file: string, mode: number): string | undefined {
  if (!auth || (mode & 0o044) === 0 || !holdsSecret(auth.settings)) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return `${file}: holds a secret under auth: but is readable by group or others (mode ${octal}); run chmod 600 ${file}`;
}

function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) =>
    (SECRET_FIELD.test(key) && (typeof inner === 'string' || typeof inner === 'number')) ? String(inner) !== '' : holdsSecret(inner),
  );
}
