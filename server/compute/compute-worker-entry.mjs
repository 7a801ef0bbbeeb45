// Worker threads do not inherit the parent's TypeScript loader in every host
// (under Vitest they do not), so each registers tsx itself before loading the worker.
import { register } from 'tsx/esm/api';

register();
await import('./compute-worker.ts');
