/**
 * Entry point of the fake-server harness (`connectors/fakes/`), so fakes can import
 * `startFakeServer` from one well-known place.
 */
export * from './fakes/index.ts';
