/**
 * The worker thread started by `fake-thread.ts`: for each bundled document it is sent, it answers with the text of
 * the API's fake module, or with the error that stopped it.
 */
import { parentPort } from 'node:worker_threads';
import { generateFakeModule } from './fake-model.js';
import type { FakeAnswer, FakeRequest } from './fake-thread.js';

const port = parentPort;
if (!port) throw new Error('fake-worker.ts runs on the worker thread that startFakeThread starts');
port.on('message', ({ apiName, doc }: FakeRequest) => {
  generateFakeModule(doc, apiName).then(
    (text) => port.postMessage({ apiName, text } satisfies FakeAnswer),
    (error: unknown) => port.postMessage({ apiName, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FakeAnswer),
  );
});
