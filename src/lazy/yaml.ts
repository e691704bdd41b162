/**
 * The yaml library, behind a module of our own: a bundler's dynamic import of a CommonJS package only
 * exposes its default export, while this static re-export keeps the named ones. Import it dynamically
 * so the parser loads only when a YAML file or YAML output needs it.
 */
export { Document, LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
export type { Document as YamlDocument } from 'yaml';
