/**
 * The two Redis deployments every store is tested against: the single server and the three-node cluster that the
 * tier's global setup started.
 */
import { Cluster, Redis } from 'ioredis';
import { inject } from 'vitest';

/** A connected client of one deployment. */
export type RedisClient = Redis | Cluster;

/** A deployment: its name and how to connect to it. */
export interface RedisTarget {
  readonly name: 'single server' | 'three-node cluster';
  connect(): RedisClient;
}

const options = { maxRetriesPerRequest: 0, commandTimeout: 2000 } as const;

export const targets: readonly RedisTarget[] = [
  { name: 'single server', connect: () => new Redis({ port: inject('redisPort'), host: '127.0.0.1', ...options }) },
  {
    name: 'three-node cluster',
    connect: () => new Cluster(inject('redisClusterPorts').map((port) => ({ host: '127.0.0.1', port })), { redisOptions: options }),
  },
];

/** Removes every key starting with `prefix` on every node of a client's deployment. */
export async function removeKeys(client: RedisClient, prefix: string): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    const keys = await node.keys(`${prefix}*`);
    for (const key of keys) await node.del(key);
  }
}
