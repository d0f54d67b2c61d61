#!/usr/bin/env node
// Launcher: registers the TypeScript loader pinned in the lockfile (tsx), then runs the CLI.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
