/**
 * Testing a bot: an in-process fake of each API (spec-checked, stateful, with faults on demand), Prism mocks
 * started from this library's specs, and signed webhook deliveries. Nothing given to a client here sends a request
 * off the machine.
 */
export { createMockFetch, freePort, MissingPrismError, PRISM_PEER_RANGE, startMockServer } from './mock-server.js';
export type { MockApi, MockClientOptions, MockFetchOptions, MockServer, MockServerOptions } from './mock-server.js';
export { UnmockedRequestError } from './guard.js';
export { deliverExampleEvents } from './webhooks.js';
export type { DeliverExampleEventsOptions, ExampleDelivery } from './webhooks.js';
export { signPachcaWebhook } from '../pachca/webhooks.js';
export { createFakeApi } from './fake/fake-api.js';
export type { FakeApi, FakeApiName, FakeApiOptions, FakeClientOptions, FakeDeliveryOptions } from './fake/fake-api.js';
export { FakeAssertionError } from './fake/calls.js';
export type { FakeCall } from './fake/calls.js';
export type { FakeFault, FakeFaultOptions } from './fake/faults.js';
