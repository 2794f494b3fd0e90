/**
 * The Redis tier's global setup: starts Debian's `redis-server` on a free loopback port, with nothing persisted,
 * hands its port to the tests, and stops it afterwards. `npm run test:redis` runs this tier; `.ci/run` installs the
 * server first.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port of the Redis server the tier started. */
    redisPort: number;
  }
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  server.on('error', (error) => {
    throw new Error(`redis-server could not start (install Debian's redis-server): ${error.message}`);
  });
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('redis-server did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  project.provide('redisPort', port);
  return async () => {
    server.kill('SIGTERM');
    await once(server, 'exit');
  };
}
