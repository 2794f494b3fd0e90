/**
 * The fake modules (`generated/<api>-fake.ts`: ajv compiling every request schema, esbuild bundling the code) are
 * written on a worker thread, so that on a machine with two cores they are built while the main thread loads
 * TypeScript and types the specs with openapi-typescript, instead of after (issue #20: `npm run generate` within
 * 3 s). The thread runs `fake-worker.ts`.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OpenApiDocument } from './apis.js';

/** What the main thread asks for: the fake module of one bundled document. */
export interface FakeRequest {
  readonly apiName: string;
  readonly doc: OpenApiDocument;
}

/** What the worker answers for one API: the module's text, or the stack of the error that stopped it. */
export type FakeAnswer = { readonly apiName: string; readonly text: string } | { readonly apiName: string; readonly error: string };

/** The worker thread that writes the fake modules. */
export interface FakeThread {
  /** The text of `generated/<apiName>-fake.ts` for a bundled document, as `generateFakeModule` writes it. */
  generate(doc: OpenApiDocument, apiName: string): Promise<string>;
  /** Stops the thread; a module asked for and not written yet is refused. */
  close(): Promise<void>;
}

/** Starts the thread, which loads ajv and esbuild while the caller goes on. */
export function startFakeThread(): FakeThread {
  // Node 20 runs neither `--import tsx` nor the hooks it registers on a worker thread: the worker registers tsx
  // itself before it loads its TypeScript entry. It registers tsx's require hook, not its import hooks, which
  // would start one more thread and cost the worker a quarter of a second of CPU before it does anything.
  const entry = JSON.stringify(fileURLToPath(new URL('./fake-worker.ts', import.meta.url)));
  const worker = new Worker(`require('tsx/cjs/api').register(); require(${entry});`, { eval: true });
  const pending = new Map<string, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let stopped: Error | undefined;
  const stop = (error: Error): void => {
    stopped ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (answer: FakeAnswer) => {
    const waiting = pending.get(answer.apiName);
    pending.delete(answer.apiName);
    if ('text' in answer) waiting?.resolve(answer.text);
    else waiting?.reject(new Error(`Cannot write the fake module of ${answer.apiName}: ${answer.error}`));
  });
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`The thread writing the fake modules stopped (exit code ${code})`)));
  return {
    generate(doc, apiName) {
      if (stopped) return Promise.reject(stopped);
      return new Promise<string>((resolve, reject) => {
        pending.set(apiName, { resolve, reject });
        worker.postMessage({ apiName, doc } satisfies FakeRequest);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
