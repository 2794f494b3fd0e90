/**
 * `npm run size`: the minified and gzipped size of what a one-call program loads at start from each subpath (and,
 * for comparison, from openapi-fetch alone and axios), and what it loads only on demand (the telemetry, once an
 * OpenTelemetry provider is registered), as a table.
 */
import { kB, measureSizes } from './lib/size.js';

const rows = await measureSizes();
const width = Math.max(...rows.map((row) => row.entry.length));
console.log(`${'entry'.padEnd(width)}  ${'minified'.padStart(9)}  ${'gzipped'.padStart(9)}  ${'on demand'.padStart(9)}`);
for (const row of rows) {
  const onDemand = row.onDemandGzippedBytes ? kB(row.onDemandGzippedBytes) : '—';
  console.log(`${row.entry.padEnd(width)}  ${kB(row.minifiedBytes).padStart(9)}  ${kB(row.gzippedBytes).padStart(9)}  ${onDemand.padStart(9)}`);
}
