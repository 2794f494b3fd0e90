/**
 * Runs one contender of the per-request benchmark for many calls, to profile it:
 *
 *   npx esbuild bench/profile.ts --bundle --platform=node --format=esm --outfile=bench/.build/profile.mjs
 *   BENCH_URL=http://127.0.0.1:<port of bench/.build/server.mjs> \
 *     node --cpu-prof bench/.build/profile.mjs "our client" create 20000
 *
 * and open the `.cpuprofile` in Chrome's DevTools (or sum the self times per function).
 */
import { contender, type ContenderName } from './clients.js';

const [name, call, countText] = process.argv.slice(2) as [ContenderName, 'create' | 'list', string | undefined];
const client = contender(name, process.env.BENCH_URL ?? '');
const count = Number(countText ?? 20000);
for (let i = 0; i < count; i++) await (call === 'create' ? client.create() : client.list());
