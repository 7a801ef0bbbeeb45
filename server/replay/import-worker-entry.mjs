// Worker threads do not inherit the parent's TypeScript loader in every host: register tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
