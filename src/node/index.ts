/** The Node transport: a `fetch` over undici's pooled `request`, with compression, TLS options and proxies. */
export { createUndiciFetch } from './undici-fetch.js';
export type { UndiciConnectionOptions, UndiciFetch, UndiciFetchOptions } from './undici-fetch.js';
export { createRedisThrottleStore } from './throttle-redis.js';
export type { RedisEvalClient, RedisThrottleStoreOptions } from './throttle-redis.js';
