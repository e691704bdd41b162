// The floor a listing is measured against: a fresh process that does only the wire work `glance-cache ls`
// needs, with raw node:http and nothing else. For a fleet behind Keystone, one token request first; then,
// all at once (at most `concurrency` in flight), every node's GET /v2/cache and one page of the images API
// for the names, each answer read whole and parsed with JSON.parse. It checks nothing and prints nothing
// but a count, so whatever glance-cache spends above it is its own.
//
//   node bench/floor.mjs PLAN.json      PLAN: { nodes: [url], imagesUrl, concurrency, keystone?: { url, body } }
import http from 'node:http';
import { readFileSync } from 'node:fs';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function call(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers: { accept: 'application/json', ...headers } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const headers = {};
if (plan.keystone) {
  const issued = await call(plan.keystone.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan.keystone.body) });
  headers['x-auth-token'] = issued.headers['x-subject-token'];
}
const urls = [`${plan.imagesUrl}/v2/images?limit=1000`, ...plan.nodes.map((node) => `${node}/v2/cache`)];
let next = 0;
let entries = 0;
async function worker() {
  while (next < urls.length) {
    const answer = await call(urls[next++], { headers });
    const parsed = JSON.parse(answer.body);
    entries += (parsed.cached_images ?? parsed.images ?? []).length;
  }
}
await Promise.all(Array.from({ length: Math.min(plan.concurrency, urls.length) }, worker));
process.stdout.write(`${entries}\n`);
process.exit(0);
