/** The first comment of every generated file: where it comes from and how to refresh it. */
export const GENERATED_NOTICE = '# Generated from the command tree (src/cli) by `npm run gen`: edit the tree, not this file.';
