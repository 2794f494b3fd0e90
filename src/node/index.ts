/** The Node transport: a `fetch` over undici's pooled `request`, with compression, TLS options and proxies. */
export { createUndiciFetch } from './undici-fetch.js';
export type { UndiciConnectionOptions, UndiciFetch, UndiciFetchOptions } from './undici-fetch.js';
export { createRedisThrottleStore } from './throttle-redis.js';
export type { RedisEvalClient, RedisThrottleStoreOptions } from './throttle-redis.js';
export { createRedisDeliveryStore } from './deliveries-redis.js';
export type { RedisDeliveryStoreOptions } from './deliveries-redis.js';
export { createRedisEventQueue } from './event-queue-redis.js';
export type {
  DeadLetter,
  QueuedEventInfo,
  RedisEventQueue,
  RedisEventQueueOptions,
  RedisEventQueueStats,
  RedisQueueClient,
  RedisSubscriberClient,
  RedisWorkerOptions,
} from './event-queue-redis.js';
export { createRedisLease } from './lease-redis.js';
export type { RedisLeaseOptions } from './lease-redis.js';
export type { RedisScriptClient } from './redis-script.js';
