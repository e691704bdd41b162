/**
 * Idle origins whose connections are kept open. An acting command's calls to one node follow each other
 * at once, so the origin just used is the one most likely to be used next: a few suffice. Its own module,
 * so that counting descriptors (fleet/open-files.ts) does not load undici with the pool.
 */
export const IDLE_ORIGINS = 16;
