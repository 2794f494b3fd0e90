/**
 * `npm run size`: the minified and gzipped size of what a one-call program pulls in from each subpath (and, for
 * comparison, from openapi-fetch alone and axios), as a table.
 */
import { kB, measureSizes } from './lib/size.js';

const rows = await measureSizes();
const width = Math.max(...rows.map((row) => row.entry.length));
console.log(`${'entry'.padEnd(width)}  ${'minified'.padStart(9)}  ${'gzipped'.padStart(9)}`);
for (const row of rows) {
  console.log(`${row.entry.padEnd(width)}  ${kB(row.minifiedBytes).padStart(9)}  ${kB(row.gzippedBytes).padStart(9)}`);
}
