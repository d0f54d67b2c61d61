#!/usr/bin/env node
// Launcher. Runs the compiled CLI (dist/cli.js) in an installed package, and in a checkout whose
// dist/ was built from the sources as they are now (bin/build-stamp.mjs). In a checkout that was
// edited since `npm run build` (or never built), it registers the TypeScript loader (tsx) and
// runs the sources instead, so an edit to src/ or specs/ never meets stale compiled code.
import { builtIsCurrent } from './build-stamp.mjs';

let main;
if (builtIsCurrent(new URL('../', import.meta.url))) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
