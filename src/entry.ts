/** What bin/ loads: main() and the process binding, in one bundle. */
export { main } from './main.js';
export { bindProcess } from './process-deps.js';
