/**
 * Keeps the benchmark's measured processes on plain Node. The runner itself runs under tsx, and `fork()` hands the
 * parent's `execArgv` (tsx's `--import` loader) to every child unless told otherwise; a loader's work would then
 * count as the contender's CPU time. This file imports nothing, so the bundled workers stay small.
 */

/** Node flags that load code before a script: a TypeScript loader (tsx's `--import`) is one. */
const PRELOAD_FLAGS = /^--(import|require|loader|experimental-loader)(=|$)|^-r$/;

/**
 * The flags among `execArgv` and `NODE_OPTIONS` that would load code (tsx, say) into a process before its script.
 * The benchmark runs under tsx, and `fork()` hands its own `execArgv` to every child unless told otherwise.
 */
export function preloadFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = [...execArgv, ...(nodeOptions ?? '').split(/\s+/).filter(Boolean)];
  return flags.flatMap((flag, index) => (PRELOAD_FLAGS.test(flag) ? [flag.includes('=') ? flag : `${flag} ${flags[index + 1] ?? ''}`.trim()] : []));
}

/** Options for `fork`/`spawn` of a measured process: plain Node on bundled JavaScript, with no loader of the runner's. */
export function plainNode(): { readonly execArgv: string[]; readonly env: NodeJS.ProcessEnv } {
  const { NODE_OPTIONS: _dropped, ...env } = process.env;
  return { execArgv: [], env };
}

/** Throws when this process was started with a loader: its CPU time would include the loader's work. */
export function assertPlainNode(): void {
  const flags = preloadFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (flags.length > 0) throw new Error(`a measured process must run without a loader, but was started with ${flags.join(', ')}`);
}
