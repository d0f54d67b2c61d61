#!/usr/bin/env node
// Launcher: starts the thread the command runs on (src/cli/supervise.ts; its data is
// cli-worker.ts's CliWorkerData) so that it loads its modules while this thread registers the
// TypeScript loader pinned in the lockfile (tsx) and loads the supervisor; then runs main().
import { Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const worker = new Worker(new URL('../src/cli/cli-worker-entry.mjs', import.meta.url), {
  workerData: { args: process.argv.slice(2), cwd: process.cwd(), isTTY: process.stderr.isTTY === true },
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv, worker);
