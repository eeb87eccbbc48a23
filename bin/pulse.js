#!/usr/bin/env -S node --initial-old-space-size=64 --expose-gc
// Why --initial-old-space-size: extract streams hundreds of megabytes of response bodies through a heap of a few
// megabytes, and V8 answered that external memory with a full collection every ~50 ms (50 per
// million records); a 64 MB initial old space leaves them to the young generation (measured: 1
// full collection, 1.5 CPU-seconds less per million records). V8 reads it only at start-up and
// refuses it in NODE_OPTIONS, hence the shebang; `node bin/pulse.js` works the same without it.
// Why --expose-gc: a build collects the JS heap after each compute model (CLV, scoring), whose
// garbage V8 would otherwise keep resident beside DuckDB for the rest of the build.
// Runs the TypeScript CLI directly: tsx registers its loader, so no build step can go stale.
import { register } from 'tsx/esm/api';

register();
await import('../jobs/cli.ts');
