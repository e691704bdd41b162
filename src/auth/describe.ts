/** The one -v line saying who a run authenticates as and where each value came from; never a secret. */
import { redactUrl } from '../http/redact.js';
import type { AuthFact, Credentials } from './types.js';

export function describeAuth(creds: Credentials): string {
  if (creds.type === 'none') return 'auth: none (no token is sent)';
  return `auth: ${creds.type}; ${(creds.common.facts ?? []).map(describeFact).join(', ')}`;
}

function describeFact(fact: AuthFact): string {
  if (fact.value === undefined) return `${fact.what} from ${fact.from}`;
  const value = fact.what === 'auth URL' ? redactUrl(fact.value) : JSON.stringify(fact.value);
  return `${fact.what} ${value} from ${fact.from}`;
}
