/** Mock servers for tests: Prism started from this library's specs. */
export { createMockFetch, freePort, startMockServer } from './mock-server.js';
export type { MockApi, MockServer, MockServerOptions } from './mock-server.js';
