// Starts a benchmark child the way bin/daxmc.mjs starts the CLI: tsx registered through its API,
// then the TypeScript module named by the first argument, which reads the rest of process.argv
// (shifted so that its own arguments start at process.argv[2]). `node --import tsx` also works,
// but runs the engine about 10% slower on this machine (measured on entry-lock/fix mix-5t2i:
// 7.9 s against 7.0 s), so the figures would not be the CLI's.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [, , module, ...rest] = process.argv;
process.argv = [process.argv[0], resolve(module), ...rest];
await import(pathToFileURL(resolve(module)).href);
