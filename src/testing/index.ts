/** Mock servers and webhook deliveries for tests: Prism started from this library's specs, and signed example events. */
export { createMockFetch, freePort, MissingPrismError, PRISM_PEER_RANGE, startMockServer } from './mock-server.js';
export type { MockApi, MockServer, MockServerOptions } from './mock-server.js';
export { deliverExampleEvents } from './webhooks.js';
export type { DeliverExampleEventsOptions, ExampleDelivery } from './webhooks.js';
export { signPachcaWebhook } from '../pachca/webhooks.js';
