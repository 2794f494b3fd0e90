/**
 * The pagination benchmark's process (run with --expose-gc): iterates over a chat of 100,000 messages through
 * `messages.iterate`, 50 per page, and reports the time and how much the heap grows over its level before the
 * walk. A client that buffered pages would grow by the whole chat (about 100 MB here); a lazy one stays flat.
 */
import { performance } from 'node:perf_hooks';
import { createPachcaClient } from '../src/pachca/index.js';
import { assertPlainNode } from './plain-node.js';

assertPlainNode();

const baseUrl = process.argv[2] ?? '';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const client = createPachcaClient({ token: 'bench-token', baseUrl });

/** One walk over the whole chat; `sample` is called every `every` messages. */
async function walk(every: number, sample: () => void): Promise<number> {
  let count = 0;
  let lastId = Number.POSITIVE_INFINITY;
  for await (const message of client.iterateChatMessages({ chat_id: 999, limit: 50 })) {
    if (message.id >= lastId) throw new Error('messages out of order');
    lastId = message.id;
    if (++count % every === 0) sample();
  }
  return count;
}

// Timing pass, undisturbed.
const started = performance.now();
const messages = await walk(Number.MAX_SAFE_INTEGER, () => {});
const seconds = (performance.now() - started) / 1000;

// Memory pass: what the walk keeps alive (sampled after a full GC every 5,000 messages), and the highest heap
// seen between collections (sampled every 500 messages, garbage not yet collected included).
gc();
const baseline = process.memoryUsage().heapUsed;
let retainedPeak = 0;
let rawPeak = 0;
let sampled = 0;
await walk(500, () => {
  rawPeak = Math.max(rawPeak, process.memoryUsage().heapUsed - baseline);
  if (++sampled % 10 === 0) {
    gc();
    retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
  }
});
process.stdout.write(
  `${JSON.stringify({ messages, seconds, messagesPerSecond: messages / seconds, retainedHeapGrowthBytes: retainedPeak, peakHeapGrowthBytes: rawPeak })}\n`,
);
