/**
 * `npm run bench -- --profile <contender> <call>` helper: runs one contender for many requests under
 * `node --cpu-prof` and prints the functions with the most self time.
 */
import { contender, type ContenderName } from './clients.js';

const [name, call, countText] = process.argv.slice(2) as [ContenderName, 'create' | 'list', string];
const baseUrl = process.env.BENCH_URL ?? '';
const client = contender(name, baseUrl);
const count = Number(countText ?? 20000);
for (let i = 0; i < count; i++) await (call === 'create' ? client.create() : client.list());
