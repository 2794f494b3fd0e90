import { bundleScript } from './build.js';
import { runPerRequest } from './per-request.js';
const scripts = { worker: await bundleScript('worker'), server: await bundleScript('server') };
const rows = await runPerRequest(scripts, { rounds: 3, job: { sequential: 1000, concurrent: 2000, concurrency: 64, warmup: 500 } }, console.log);
for (const r of rows) console.log(r.call.padEnd(7), r.contender.padEnd(14), r.medianUs.toFixed(0).padStart(5), 'us', r.p99Us.toFixed(0).padStart(5), 'p99', r.cpuUsPerRequest.toFixed(0).padStart(5), 'cpu', r.requestsPerSecond.toFixed(0).padStart(6), 'rps', ' ratios', r.ratio.medianUs.median.toFixed(2), r.ratio.cpuUsPerRequest.median.toFixed(2), r.ratio.requestsPerSecond.median.toFixed(2));
