#!/usr/bin/env node
// Launcher. Starts the thread the command runs on (src/cli/supervise.ts; its data is
// cli-worker.ts's CliWorkerData) first, so that it loads its modules while this thread loads the
// supervisor; then runs main(). Both run the compiled CLI (dist/) in an installed package and in
// a checkout whose dist/ was built from the sources as they are now (bin/build-stamp.mjs); in a
// checkout edited since `npm run build` (or never built) they run the sources through the
// TypeScript loader (tsx), so an edit to src/ or specs/ never meets stale compiled code.
import { Worker } from 'node:worker_threads';
import { builtIsCurrent } from './build-stamp.mjs';

const built = builtIsCurrent(new URL('../', import.meta.url));
const worker = new Worker(new URL(built ? '../dist/cli-worker.js' : '../src/cli/cli-worker-entry.mjs', import.meta.url), {
  workerData: { args: process.argv.slice(2), cwd: process.cwd(), isTTY: process.stderr.isTTY === true },
});
let main;
if (built) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv, worker);
