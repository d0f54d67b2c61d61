// Worker-thread entry of the parallel search: registers the TypeScript loader (tsx) in this
// thread, then loads the worker. Plain JavaScript so that Node can start it without a loader.
import { register } from 'tsx/esm/api';

register();
await import('./parallel-worker.ts');
