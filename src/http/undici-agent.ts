/**
 * undici's Agent with its request API, without the rest of the package (fetch, WebSocket, cache stores,
 * HTTP/2, mocks): compiling undici's whole index costs about 70 ms on every run, these parts about 30 ms.
 * This is exactly what undici's own index.js does for these pieces; the version is pinned by the lockfile
 * and every HTTP test goes through it.
 */
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

Object.assign(DispatcherImpl.prototype, api);

export const Agent = AgentImpl;
