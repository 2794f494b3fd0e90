/**
 * The Redis tier's global setup: starts Debian's `redis-server` on free loopback ports, with nothing persisted,
 * once as a single server and once as a three-node cluster (`cluster-enabled yes`, joined with
 * `redis-cli --cluster create`), hands their ports to the tests, and stops them and removes their files afterwards.
 * `npm run test:redis` runs this tier; `.ci/run` installs the server first.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/testing/index.js';

const run = promisify(execFile);

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port of the single Redis server the tier started. */
    redisPort: number;
    /** The ports of the three nodes of the Redis Cluster the tier started. */
    redisClusterPorts: number[];
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

async function start(args: string[], port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  server.on('error', (error) => {
    throw new Error(`redis-server could not start (install Debian's redis-server): ${error.message}`);
  });
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('redis-server did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return server;
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  await once(server, 'exit');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers: ChildProcess[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const teardown = async (): Promise<void> => {
    await Promise.all(servers.map(stop));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    servers.push(await start([], port));
    project.provide('redisPort', port);

    const clusterPorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const nodePort = await freePort();
      // The bus port is chosen too: port + 10000 may be taken or above 65535.
      const busPort = await freePort();
      servers.push(
        await start(['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', path.join(dir, `nodes-${nodePort}.conf`), '--dir', dir], nodePort),
      );
      clusterPorts.push(nodePort);
    }
    await run('redis-cli', ['--cluster', 'create', ...clusterPorts.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    const deadline = Date.now() + 20_000;
    for (const nodePort of clusterPorts) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(nodePort), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new Error(`the cluster did not become ready within 20 s: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    project.provide('redisClusterPorts', clusterPorts);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
