/** cosmiconfig behind a module of our own, for the reason given in ./yaml.ts. */
export { cosmiconfig } from 'cosmiconfig';
