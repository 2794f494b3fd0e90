import { contender } from './clients.js';
import { createPachcaClient } from '../src/pachca/index.js';
import { createNodeHttpFetch } from '../src/core/node-http-fetch.js';
import { createBody } from './fixtures.js';
const baseUrl = process.env.BENCH_URL ?? '';
const TOKEN = 'bench-token-0123456789abcdef';
const body = JSON.stringify(createBody);
const variants: Record<string, () => Promise<unknown>> = {
  fetch: contender('fetch', baseUrl).create,
  fetchSignal: async () => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 30000); const r = await fetch(`${baseUrl}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body, signal: c.signal }); const j = await r.json(); clearTimeout(t); return j; },
  fetchTimeoutSignal: async () => { const r = await fetch(`${baseUrl}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30000) }); return r.json(); },
  fetchHeadersObj: async () => { const h = new Headers(); h.set('authorization', `Bearer ${TOKEN}`); h.set('content-type', 'application/json'); const r = await fetch(`${baseUrl}/messages`, { method: 'POST', headers: h, body }); return r.json(); },
  ours: ((c) => () => c.createMessage({ body: createBody }))(createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 30000 })),
  oursNoTimeout: ((c) => () => c.createMessage({ body: createBody }))(createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 0 })),
  oursNode: ((c) => () => c.createMessage({ body: createBody }))(createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 30000, fetch: createNodeHttpFetch() })),
  nodeFetchRaw: ((f) => async () => { const r = await f(`${baseUrl}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body }); return r.json(); })(createNodeHttpFetch()),
  axios: contender('axios', baseUrl).create,
  nodeHttp: contender('node:http', baseUrl).create,
  openapiFetch: contender('openapi-fetch', baseUrl).create,
};
const names = (process.argv[2] ?? Object.keys(variants).join(',')).split(',');
const results: Record<string, number[]> = {};
for (const n of names) for (let i = 0; i < 300; i++) await variants[n]!();
for (let round = 0; round < 40; round++) {
  for (const n of names) {
    const N = 250; const before = process.cpuUsage();
    for (let i = 0; i < N; i++) await variants[n]!();
    const cpu = process.cpuUsage(before); (results[n] ??= []).push((cpu.user + cpu.system) / N);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const n of names) {
  const paired = results[n]!.map((v, i) => v / results.fetch![i]!);
  console.log(n.padEnd(20), med(results[n]!).toFixed(1).padStart(7), 'us cpu', 'paired ratio', med(paired).toFixed(3));
}
