/**
 * `npm run bench`: everything measured in one run, on this machine, and compared within the run.
 *  1. per-request cost on loopback, against raw fetch, openapi-fetch, axios and a raw node:http request;
 *  2. bundle size of each subpath;
 *  3. codegen time;
 *  4. type-check cost for a user;
 *  5. pagination of 100,000 messages (time and heap growth);
 *  6. the throttle's overhead and spread;
 *  7. the durable hand-off through Redis;
 *  8. the in-process fake of /testing: start-up in a cold process and CPU per call.
 * Prints the tables. Only with `--write` does it change tracked files: `bench/results/latest.{json,md}` and the
 * README's Performance section (between its `bench:start` and `bench:end` markers).
 *
 * `--quick` runs fewer rounds (for a smoke test); the README's figures come from a full run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../scripts/lib/apis.js';
import { kB, measureSizes, type SizeRow } from '../scripts/lib/size.js';
import { bundleScript } from './build.js';
import { plainNode } from './plain-node.js';
import { measureCodegen, type CodegenResult } from './codegen.js';
import { runPerRequest, type PerRequestRow, type Ratio } from './per-request.js';
import { measureHandoff } from './handoff.js';
import { measureThrottle } from './throttle.js';
import { measureTypecheck, type TypecheckResult } from './typecheck.js';
import { measureFake, type FakeResult } from './fake.js';

const HELP = `Usage: npm run bench -- [--quick] [--write] [--help]

Measures the clients on this machine: per-request latency, CPU and throughput against raw fetch (also with a
timeout signal, the floor of any bounded call), openapi-fetch, axios and raw node:http on loopback; bundle
sizes; codegen time; type-check cost; pagination memory; the in-process fake's start-up and CPU per call.

  --quick   fewer rounds, for a smoke test (about 1 minute instead of about 5)
  (the throttle and hand-off rows use Debian's redis-server when it is installed)
  --write   write bench/results/latest.{json,md} and the README's Performance section (a full run only for the README)
  --help    print this and exit

Environment:
  PACHCA_SDK_DIR   a local build of the official Pachca SDK (its sdk/typescript folder, built, with dist/index.js);
                   when set, the SDK joins the per-request rows as the contender "pachca SDK"

The measured processes (the contenders, the server, the pagination walk) run as bundled JavaScript on plain Node,
without the TypeScript loader this runner was started with.
`;
if (process.argv.includes('--help')) {
  process.stdout.write(HELP);
  process.exit(0);
}
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const started = Date.now();
/** The share of a run each stage takes, from earlier runs on this machine, for the estimate of the time left. */
const STAGES = [0.66, 0.02, 0.06, 0.09, 0.09, 0.04, 0.02, 0.02];
let done = 0;
const log = (line: string): void => console.error(line);
/** Announces a stage with the time spent and an estimate of the time left. */
const stage = (index: number, title: string): void => {
  const elapsed = (Date.now() - started) / 1000;
  const expected = quick ? 60 : 300;
  const left = done > 0 ? (elapsed / done) * (1 - done) : expected;
  log(`[${elapsed.toFixed(0)} s elapsed, about ${Math.max(0, left).toFixed(0)} s left] ${index + 1}/${STAGES.length} ${title}…`);
  done += STAGES[index] ?? 0;
};

interface PaginationResult {
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  /** The most the walk kept alive: heap after a full GC, over the level before the walk. */
  readonly retainedHeapGrowthBytes: number;
  /** The highest heap seen between collections, garbage included. */
  readonly peakHeapGrowthBytes: number;
}

async function measurePagination(serverScript: string, workerScript: string): Promise<PaginationResult> {
  const server = spawn(process.execPath, [serverScript], { ...plainNode(), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    const output = execFileSync(process.execPath, ['--expose-gc', workerScript, `http://127.0.0.1:${chunk.toString().trim()}`], {
      env: plainNode().env,
      encoding: 'utf8',
    });
    return JSON.parse(output) as PaginationResult;
  } finally {
    server.kill('SIGTERM');
  }
}

const fmt = (value: number, digits = 0): string => value.toFixed(digits);
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ratio = (r: Ratio): string => `${r.median.toFixed(2)}× (${r.q1.toFixed(2)}–${r.q3.toFixed(2)})`;

function perRequestTable(rows: readonly PerRequestRow[]): string {
  const lines = [
    '| call | client | median µs | p99 µs | req/s at 64 in flight | CPU µs/req | median ÷ fetch | CPU ÷ fetch | req/s ÷ fetch |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.call} | ${row.contender} | ${fmt(row.medianUs)} | ${fmt(row.p99Us)} | ${fmt(row.requestsPerSecond)} | ${fmt(row.cpuUsPerRequest)} | ${ratio(row.ratio.medianUs)} | ${ratio(row.ratio.cpuUsPerRequest)} | ${ratio(row.ratio.requestsPerSecond)} |`,
    );
  }
  return lines.join('\n');
}

function sizeTable(rows: readonly SizeRow[]): string {
  return [
    '| one-call program | minified, at start | gzipped, at start | gzipped, loaded on demand |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.entry} | ${kB(row.minifiedBytes)} | ${kB(row.gzippedBytes)} | ${row.onDemandGzippedBytes ? kB(row.onDemandGzippedBytes) : '—'} |`),
  ].join('\n');
}

function targetsTable(
  rows: readonly PerRequestRow[],
  sizes: readonly SizeRow[],
  codegen: CodegenResult,
  typecheck: TypecheckResult,
  pagination: PaginationResult,
  fake: FakeResult,
): string {
  const pick = (contender: string, call: string) => rows.find((row) => row.contender === contender && row.call === call) as PerRequestRow;
  const rivalNames = ['openapi-fetch', 'axios', 'pachca SDK'].filter((name) => rows.some((row) => row.contender === name));
  const lines = ['| target | measured | met |', '| --- | --- | :---: |'];
  const check = (target: string, measured: string, met: boolean) => lines.push(`| ${target} | ${measured} | ${met ? 'yes' : 'no'} |`);
  const fetchClient = ['our client', 1.05] as const;
  for (const call of ['create', 'list']) {
    const ours = pick(fetchClient[0], call);
    check(
      `our client over fetch, ${call}: median latency and CPU ≤ 1.05× fetch`,
      `${ours.ratio.medianUs.median.toFixed(2)}× / ${ours.ratio.cpuUsPerRequest.median.toFixed(2)}×`,
      ours.ratio.medianUs.median <= fetchClient[1] && ours.ratio.cpuUsPerRequest.median <= fetchClient[1],
    );
    check(
      `our client over fetch, ${call}: throughput at 64 in flight ≥ fetch`,
      `${ours.ratio.requestsPerSecond.median.toFixed(2)}×`,
      ours.ratio.requestsPerSecond.median >= 1,
    );
    const bounded = pick('fetch + timeout', call);
    lines.push(
      `| (the floor) fetch with \`AbortSignal.timeout\`, ${call}: what bounding a call costs fetch by itself | ${bounded.ratio.medianUs.median.toFixed(2)}× / ${bounded.ratio.cpuUsPerRequest.median.toFixed(2)}× latency / CPU, ${bounded.ratio.requestsPerSecond.median.toFixed(2)}× throughput | — |`,
    );
    const traced = pick('our client + tracing', call);
    lines.push(
      `| (tracing) our client with an OpenTelemetry SDK recording every call, ${call}: against the same client with no SDK | ${(traced.medianUs / ours.medianUs).toFixed(2)}× / ${(traced.cpuUsPerRequest / ours.cpuUsPerRequest).toFixed(2)}× latency / CPU | — |`,
    );
    if (call === 'create') {
      const once = pick('our client, exactly-once', call);
      check(
        'our client, create with sendExactlyOnce: CPU ≤ 1.05× createMessage (the option costs nothing when nothing fails)',
        `${(once.cpuUsPerRequest / ours.cpuUsPerRequest).toFixed(2)}×`,
        once.cpuUsPerRequest <= ours.cpuUsPerRequest * 1.05,
      );
    }
    const overUndici = pick('our client + undici', call);
    check(`our client over undici, ${call}: CPU ≤ 0.35× fetch`, `${overUndici.ratio.cpuUsPerRequest.median.toFixed(2)}×`, overUndici.ratio.cpuUsPerRequest.median <= 0.35);
    for (const contender of ['our client', 'our client + undici']) {
      const mine = pick(contender, call);
      const rivals = rivalNames.map((name) => pick(name, call));
      check(
        `${contender}, ${call}: ahead of ${rivalNames.join(', ')} in latency and CPU`,
        rivals.map((rival) => `${rival.contender} ${rival.ratio.medianUs.median.toFixed(2)}× / ${rival.ratio.cpuUsPerRequest.median.toFixed(2)}×`).join(', '),
        rivals.every((rival) => mine.medianUs < rival.medianUs && mine.cpuUsPerRequest < rival.cpuUsPerRequest),
      );
    }
  }
  const pachca = sizes.find((row) => row.entry === 'pachca') as SizeRow;
  const sdk = sizes.find((row) => row.entry === 'pachca SDK');
  const sdkBytes = sdk?.gzippedBytes ?? 8.5 * 1024;
  check(
    `one-call pachca program smaller than the official SDK's (${sdk ? 'measured' : 'as reported'}: ${kB(sdkBytes)} gzipped)`,
    kB(pachca.gzippedBytes),
    pachca.gzippedBytes < sdkBytes,
  );
  const standalone = sizes.find((row) => row.entry === 'pachca/operations') as SizeRow;
  check('one-call pachca program through /pachca/operations ≤ 8 kB gzipped (at start)', kB(standalone.gzippedBytes), standalone.gzippedBytes <= 8 * 1024);
  check('`npm run generate` for all specs ≤ 3 s', `${fmt(codegen.generateAllMs)} ms`, codegen.generateAllMs <= 3000);
  check('type-check of the three-client program ≤ 1.5× empty', `${typecheck.ratio.toFixed(2)}×`, typecheck.ratio <= 1.5);
  check(
    'iterating 100,000 messages: heap growth ≤ 16 MB',
    `${mb(pagination.retainedHeapGrowthBytes)} retained (${mb(pagination.peakHeapGrowthBytes)} before collection)`,
    pagination.retainedHeapGrowthBytes <= 16 * 2 ** 20,
  );
  check('the in-process fake starts in < 50 ms (cold process, generated tables loaded)', `${fake.startMs.toFixed(1)} ms`, fake.startMs < 50);
  check(
    'the fake answers a call in < 0.2 ms of CPU (through the client: a read, a send)',
    `${fake.readMs.toFixed(3)} / ${fake.sendMs.toFixed(3)} ms (the fake alone ${fake.fakeAloneMs.toFixed(3)} ms)`,
    fake.readMs < 0.2 && fake.sendMs < 0.2,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(path.join(repoRoot, 'dist', 'src', 'pachca', 'index.d.ts'))) {
    log('Building the package first (the type-check benchmark uses its .d.ts)…');
    execFileSync('npm', ['run', '--silent', 'build:package'], { cwd: repoRoot, stdio: 'inherit' });
  }
  log('Bundling the benchmark processes…');
  const scripts = { worker: await bundleScript('worker'), server: await bundleScript('server') };
  const paginateScript = await bundleScript('paginate-worker');

  stage(0, 'Per-request cost (each client in its own process, interleaved rounds)');
  const perRequest = await runPerRequest(
    scripts,
    quick
      ? { latencyRounds: 3, sequential: 200, throughputRounds: 2, concurrent: 1000, concurrency: 64, warmup: 200 }
      : { latencyRounds: 31, sequential: 400, throughputRounds: 9, concurrent: 3000, concurrency: 64, warmup: 1000 },
    log,
  );
  stage(1, 'Bundle sizes');
  const sizes = await measureSizes();
  stage(2, 'Codegen');
  const codegen = await measureCodegen(repoRoot, quick ? 1 : 3);
  stage(3, 'Type-check cost');
  const typecheck = await measureTypecheck(repoRoot, quick ? 1 : 5);
  stage(4, 'Pagination of 100,000 messages');
  const pagination = await measurePagination(scripts.server, paginateScript);
  stage(5, 'Throttle overhead and spread');
  const throttle = await measureThrottle(quick ? 2000 : 20_000);
  stage(6, 'Durable hand-off through Redis');
  const handoff = await measureHandoff(quick ? 1000 : 10_000);
  stage(7, 'The in-process fake: start-up and CPU per call');
  const fake = await measureFake(quick ? 2 : 9, quick ? 500 : 5000);

  const environment = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)}`;
  const markdown = [
    `Measured by \`npm run bench\` (${environment}${quick ? ', quick run' : ''}).`,
    '',
    '**Per request** (loopback keep-alive server in its own process; each ratio is the median of the per-round ratios to raw `fetch`, with their interquartile range):',
    '',
    perRequestTable(perRequest),
    '',
    '**Bundle size** (esbuild, minified, for the browser):',
    '',
    sizeTable(sizes),
    '',
    `**Codegen**: \`npm run generate\` for all specs ${fmt(codegen.generateAllMs)} ms (process start included); a synthetic spec of ${codegen.syntheticOperations} operations and ${codegen.syntheticSchemas} schemas ${fmt(codegen.syntheticMs)} ms in-process.`,
    '',
    `**Type-check** (\`tsc --noEmit\`, strict, skipLibCheck): a program using all three clients ${fmt(typecheck.threeClientsMs)} ms, an empty program ${fmt(typecheck.emptyMs)} ms, ${typecheck.ratio.toFixed(2)}×.`,
    '',
    `**Pagination**: ${pagination.messages.toLocaleString('en')} messages through \`iterateChatMessages\` in ${pagination.seconds.toFixed(2)} s (${fmt(pagination.messagesPerSecond)} messages/s); the walk keeps at most ${mb(pagination.retainedHeapGrowthBytes)} alive (heap after a full GC, every 5,000 messages), and the heap peaks ${mb(pagination.peakHeapGrowthBytes)} above its start between collections.`,
    '',
    `**Throttle** (a call to an in-process fetch, no contention): ${throttle.plainUs.toFixed(1)} µs without it, ${throttle.memoryUs.toFixed(1)} µs in memory (+${(throttle.memoryUs - throttle.plainUs).toFixed(1)} µs), ${throttle.redisUs === undefined || throttle.redisEvalUs === undefined ? 'Redis not measured (no redis-server)' : `${throttle.redisUs.toFixed(1)} µs through Redis on loopback with scripts sent by hash (+${(throttle.redisUs - throttle.plainUs).toFixed(1)} µs; sending the whole script every call, as before: +${(throttle.redisEvalUs - throttle.plainUs).toFixed(1)} µs)`}. 200 sends over 50 chats at 1 per 250 ms per chat: ${Math.round(throttle.spreadMs)} ms (the budget allows no less than ${throttle.spreadMinimumMs} ms); under Pachca's documented budgets, where all fit in the burst windows: ${Math.round(throttle.defaultSpreadMs)} ms.`,
    '',
    handoff === undefined
      ? '**Durable hand-off**: not measured (no redis-server).'
      : `**Durable hand-off** (Redis on loopback, the Pachca receiver in one process, ${handoff.workers} worker processes, 16 deliveries in flight): ${handoff.events.toLocaleString('en')} events at ${fmt(handoff.eventsPerSecond)} events/s; receipt to the user's code p50 ${handoff.latencyP50Ms.toFixed(2)} ms, p99 ${handoff.latencyP99Ms.toFixed(2)} ms; the receiver's answer p50 ${handoff.answerP50Ms.toFixed(2)} ms, p99 ${handoff.answerP99Ms.toFixed(2)} ms (target < 5 ms).`,
    '',
    `**The in-process fake** (\`createFakeApi('pachca')\`, bundled, median of ${quick ? 2 : 9} cold processes): importing /testing and the client ${fake.importMs.toFixed(1)} ms, the first fake ${fake.startMs.toFixed(1)} ms, a further one ${fake.warmStartMs.toFixed(2)} ms; CPU per call through the client ${fake.readMs.toFixed(3)} ms for \`getMessage\`, ${fake.sendMs.toFixed(3)} ms for \`createMessage\`, the fake's \`fetch\` alone ${fake.fakeAloneMs.toFixed(3)} ms.`,
    '',
    '**Targets**:',
    '',
    targetsTable(perRequest, sizes, codegen, typecheck, pagination, fake),
    '',
  ].join('\n');

  console.log(markdown);
  log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (!write) {
    log('No tracked file was changed; pass --write to save bench/results/ and the README section.');
    return;
  }
  const results = path.join(repoRoot, 'bench', 'results');
  await mkdir(results, { recursive: true });
  await writeFile(path.join(results, 'latest.json'), `${JSON.stringify({ environment, quick, perRequest, sizes, codegen, typecheck, pagination, throttle, handoff, fake }, null, 2)}\n`);
  await writeFile(path.join(results, 'latest.md'), markdown);
  if (!quick) {
    const readmePath = path.join(repoRoot, 'README.md');
    const readme = await readFile(readmePath, 'utf8');
    const updated = readme.replace(/(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/, `$1${markdown}$2`);
    await writeFile(readmePath, updated);
  }
}

await main();
