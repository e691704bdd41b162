/**
 * The connection pool, imported when a fleet opens (commands that contact nothing never load undici).
 * undici's cookie helpers read `globalThis.Headers` as they load, and on Node that global is a getter
 * which compiles Node's own bundled copy of undici (40–70 ms of every networked run) that nothing here
 * uses: it is hidden while undici loads and put back as it was.
 */
export async function loadDispatcherPool(): Promise<typeof import('../http/dispatcher.js').DispatcherPool> {
  const headers = Object.getOwnPropertyDescriptor(globalThis, 'Headers');
  if (!headers?.get || !headers.configurable) return (await import('../http/dispatcher.js')).DispatcherPool;
  Object.defineProperty(globalThis, 'Headers', { configurable: true, enumerable: headers.enumerable, writable: true, value: undefined });
  try {
    return (await import('../http/dispatcher.js')).DispatcherPool;
  } finally {
    Object.defineProperty(globalThis, 'Headers', headers);
  }
}
