// The thread a supervised command runs on (supervise.ts): once the supervisor says `start` (it
// may create this thread before it is ready to listen: bin/daxmc.mjs starts it first, so that
// both threads load their modules at once), runs one command line with runCli, its output,
// stage, figures and discoveries sent to the supervising thread as messages (they arrive even
// while this thread is busy: the supervising thread is idle), and an `abort` message aborts the
// command as SIGINT does. Not a second CLI: program.ts does all the work.
import { parentPort, workerData } from 'node:worker_threads';
import type { Discovery, Progress } from '../check/result';
import type { CliContext, Stage } from './io';
import { runCli } from './program';

export interface CliWorkerData {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly isTTY: boolean;
}

export type FromCliWorker =
  | { readonly type: 'out' | 'err'; readonly text: string }
  | { readonly type: 'stage'; readonly stage: Stage }
  | { readonly type: 'figures'; readonly figures: Progress }
  | { readonly type: 'discovery'; readonly discovery: Discovery }
  | { readonly type: 'scratch'; readonly dir: string | null }
  | { readonly type: 'done'; readonly code: number };

export type ToCliWorker = { readonly type: 'start' } | { readonly type: 'abort' };

const port = parentPort;
if (port === null) throw new Error('cli-worker.ts runs on a worker thread (supervise.ts starts it)');
const data = workerData as CliWorkerData;
const send = (m: FromCliWorker): void => port.postMessage(m);
const controller = new AbortController();
let start: () => void = () => {};
const started = new Promise<void>((resolve) => (start = resolve));
port.on('message', (m: ToCliWorker) => {
  if (m.type === 'start') start();
  if (m.type === 'abort') controller.abort();
});
const ctx: CliContext = {
  io: { out: (text) => send({ type: 'out', text }), err: (text) => send({ type: 'err', text }), isTTY: data.isTTY },
  cwd: data.cwd,
  signal: controller.signal,
  watch: {
    stage: (stage) => send({ type: 'stage', stage }),
    figures: (figures) => send({ type: 'figures', figures: { ...figures } }),
    discovery: (d) => send({ type: 'discovery', discovery: { property: d.property, kind: d.kind, path: { init: d.path.init, actions: [...d.path.actions] } } }),
    scratch: (dir) => send({ type: 'scratch', dir }),
  },
};
await started;
const code = await runCli(data.args, ctx);
send({ type: 'done', code });
// The command is done: end the thread even if the spec's code left a timer or a handle open.
port.close();
process.exit(0);
