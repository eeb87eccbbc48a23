#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx registers its loader, so no build step can go stale.
import { register } from 'tsx/esm/api';

register();
await import('../jobs/cli.ts');
