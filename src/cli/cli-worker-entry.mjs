// Worker-thread entry of a supervised command (supervise.ts): registers the TypeScript loader
// (tsx) in this thread, as parallel-entry.mjs does for the search's workers, then runs the
// command. Plain JavaScript so that Node can start it without a loader.
import { register } from 'tsx/esm/api';

register();
await import('./cli-worker.ts');
