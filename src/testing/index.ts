/** Mock servers for tests: Prism started from this library's specs. */
export { createMockFetch, freePort, MissingPrismError, PRISM_PEER_RANGE, startMockServer } from './mock-server.js';
export type { MockApi, MockServer, MockServerOptions } from './mock-server.js';
