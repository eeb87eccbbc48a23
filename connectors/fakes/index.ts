/**
 * The fake-server harness and its helpers: start a local server from routes, inject counted
 * faults, read the request log, page like real APIs do.
 *
 * @example
 * const fake = await startFakeServer({ routes: [{ path: '/v21.0/:pageId/posts', recordsPath: ['data'], handler: () => ({ body: { data: [] } }) }] });
 * fake.faults.rateLimit({ path: '/v21.0/*', retryAfterSeconds: 2 });
 * await fake.close();
 */
export { startFakeServer, type FakeHandler, type FakeRequest, type FakeResponse, type FakeRoute, type FakeServer, type FakeServerOptions, type HttpMethod, type RequestLogEntry } from './harness.ts';
export { FaultController, applyRecordFault, mutateRecordsAt, recordsAt, type AppliedFault, type Fault, type FaultHandle, type FaultRule, type FaultTarget } from './faults.ts';
export { buildLinkHeader, cursorPage, decodeCursor, encodeCursor, offsetPage, parseLinkHeader, urlWith, type CursorPage, type OffsetPage } from './paging.ts';
export { compilePathPattern, type PathPattern } from './paths.ts';
export { derived, derivedByKey, firstIndexWhere } from './derived.ts';
