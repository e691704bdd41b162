import fc from 'fast-check';

/** Characters a hostile or broken peer might send, weighted up: uniform code points almost never hit them. */
const TRICKY = ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '[', '\u007f', '\u0085', '\u009b', '\u00a0', '\u2028', '\u2029', '\u202e', '\u2066', '"', "'", '\\', ':', '#', '-', ' ', '{', '&', '*'];

export const peerString = (minLength = 0) =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...TRICKY), fc.constantFrom('a', 'Z', '1'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength });
