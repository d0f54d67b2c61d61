// `daxmc explore <spec>`: serves the state-space explorer on 127.0.0.1 until the context's
// signal aborts (Ctrl-C in main()), then closes the server and the background check and exits 0.
// Prints the URL once listening (port 0 picks a free port).
import type { SpecDefinition } from '../core/spec';
import { startExplorer } from '../explore/server';
import { ExitCode } from './exit-codes';
import type { CliContext } from './io';
import { loadSpec } from './load-spec';

export interface ExploreFlags {
  readonly config?: string;
  readonly port: number;
  /** Run the full check in the background at once (default true). */
  readonly check: boolean;
  readonly maxStates?: number;
}

export async function exploreCommand(specArg: string, flags: ExploreFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  ctx.watch?.stage({ step: 'loading', command: 'explore' });
  const loaded = await loadSpec(specArg, ctx.cwd, specs);
  ctx.watch?.stage({ step: 'searching', spec: loaded.definition.id });
  const explorer = await startExplorer({
    definition: loaded.definition,
    port: flags.port,
    check: flags.check,
    specArg: loaded.file ?? loaded.definition.id,
    ...(flags.config !== undefined ? { config: flags.config } : {}),
    ...(flags.maxStates !== undefined ? { maxStates: flags.maxStates } : {}),
  });
  ctx.io.out(`daxmc explore: ${loaded.definition.id}, configuration ${explorer.status().config}, at ${explorer.url}\n`);
  ctx.io.err('Press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    if (!ctx.signal) return; // no signal: serve until the process ends
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await explorer.close();
  ctx.io.err('daxmc explore: stopped\n');
  return ExitCode.pass;
}
