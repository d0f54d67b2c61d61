// Worker-thread entry of the parallel search when there is no bundle (worker-bundle.ts): registers
// the TypeScript loader (tsx) in this thread, then loads the worker and the spec's module through
// it. Plain JavaScript so that Node can start it without a loader.
import { register } from 'tsx/esm/api';

register();
const { runWorker } = await import('./parallel-worker.ts');
const { loadDefinition } = await import('./spec-source.ts');
await runWorker(loadDefinition);
