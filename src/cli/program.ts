// The command line, built with commander: a FRESH program per call with injected IO,
// exitOverride() and configureOutput(), so tests run commands in-process and read the output and
// exit code. Errors become one line on stderr (`daxmc: <message>`) and an exit code; never a
// stack trace. No module-level mutable state.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError, messageOf } from '../core/errors';
import { packageFile } from '../core/package-files';
import type { SpecDefinition } from '../core/spec';
import { builtinSpecs } from '../../specs/index';
import { CHECK_FORMATS, checkCommand, type CheckFlags, type CheckFormat } from './check-command';
import { ExitCode, exitCodeOfError } from './exit-codes';
import type { CliContext } from './io';
import { renderList } from './list-command';
import { loadSpec } from './load-spec';
import { actionPath, collect, positiveNumber, wholeNumber, workerCount } from './options';
import { GRAPH_MAX_STATES, graphCommand } from './graph-command';
import { tlcHint } from './tlc-hints';
import { oneLine } from './printable';
import { replayCommand, type ReplayFlags } from './replay-command';
import { simulateCommand, type SimulateFlags } from './simulate-command';
import { reportCommand, verdictsPlace } from './report-command';
import { exploreCommand } from './explore-command';
import { WHY_FORMATS, whyCommand, type WhyFormat } from './why-command';

export interface CliOptions extends CliContext {
  /** The spec registry (default: specs/index.ts builtinSpecs). */
  readonly specs?: readonly SpecDefinition[];
}

/** A TCP port, 0..65535 (0: any free port). */
function portNumber(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

/** A seed: a whole number from 0 to 2^53. */
function seedNumber(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return n;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

interface RawCheckOptions {
  config?: string;
  maxStates?: number;
  maxDepth?: number;
  timeout?: number;
  memory?: number;
  spillAfter?: number;
  format: CheckFormat;
  diff?: boolean;
  out?: string;
  deadlock: boolean;
  dfs?: boolean;
  property?: string[];
  all?: boolean;
  path?: CheckFlags['path'];
  workers?: number;
  symmetry?: boolean;
  por?: boolean;
  exact?: boolean;
  coverage?: boolean;
  inputChecks?: 'every' | 'sampled';
  liveness: boolean;
  lockOrder?: boolean;
}

/** Builds the program; `setExit` receives each command's exit code. */
export function buildProgram(ctx: CliOptions, setExit: (code: number) => void): Command {
  const specs = ctx.specs ?? builtinSpecs;
  const program = new Command('daxmc');
  program
    .description('An explicit-state, TLA+-style model checker for Linux DAX page-fault locking protocols')
    .version(version(), '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      outputError: (s, write) => write(`daxmc: ${oneLine(s.replace(/^error: /, ''))}\n`),
    })
    .showSuggestionAfterError(true);

  program
    .command('list')
    .description('list the built-in specs and their configurations, or those of one spec (an id or a spec file)')
    .argument('[spec]', 'a spec id or the path of a spec file (.ts, .mts, .js, .mjs): only its configurations')
    .action(async (specArg: string | undefined) => {
      ctx.io.out(renderList(specArg === undefined ? specs : [(await loadSpec(specArg, ctx.cwd, specs)).definition]));
      setExit(ExitCode.pass);
    });

  program
    .command('check')
    .description('search a spec configuration for property violations and deadlocks (or replay one --path)')
    .argument('<spec>', 'a spec id (see daxmc list) or the path of a spec file (.ts, .mts, .js, .mjs)')
    .option('--config <name>', "the configuration (default: the spec's default)")
    .option('--max-states <n>', 'stop after this many distinct states (incomplete)', wholeNumber)
    .option('--max-depth <n>', 'explore no deeper than this (the initial states are depth 1)', wholeNumber)
    .option('--timeout <seconds>', 'stop after this many seconds (incomplete)', positiveNumber)
    .option('--memory <MiB>', 'stop when resident memory passes this many MiB (incomplete); the seen table spills to disk before that', positiveNumber)
    .option('--spill-after <n>', 'keep at most N fingerprints in memory, the rest in sorted runs on disk (as TLC)', wholeNumber)
    .addOption(new Option('--format <format>', 'output format (svg: the lane diagram of the counterexample)').choices([...CHECK_FORMATS]).default('text'))
    .option('--diff', 'text: after state 0, print only what changed (facts in kernel words, or variables)')
    .option('--out <dir>', "write the failure's trace to DIR as .itf.json, .txt, .mmd, .dot and .svg")
    .option('--no-deadlock', 'do not report deadlocks')
    .option('--no-liveness', "do not check the spec's liveness properties (they need the whole state graph)")
    .option('--dfs', 'search depth-first (counterexamples are then not necessarily shortest)')
    .option('--property <name>', "check only this property; repeatable; 'deadlock' names the deadlock check", collect)
    .option('--all', 'keep searching until every property has a discovery')
    .option('--path <path>', 'replay this action path (e.g. 0/1/5) instead of searching', actionPath)
    .option('--workers <n>', "search with N worker threads, or 'auto' for one per core (BFS level by level; same results as one)", workerCount, 1)
    .option('--symmetry', 'store one state per arrangement of interchangeable threads (or resource managers)')
    .option('--por', "partial-order reduction: where a thread's next step touches only its own pc and locals, take it alone (same verdicts, fewer states)")
    .option('--exact', 'store whole states beside their fingerprints: states whose fingerprints collide are all explored, and the collisions counted')
    .option('--coverage', 'print, per action, the successors it generated (times enabled) and the new states among them')
    .addOption(
      new Option('--input-checks <when>', 'check that no action writes its input state at every expansion, or only in the first 2,000 (sampled)').choices(['every', 'sampled']),
    )
    .option('--lock-order', 'a lock-order cycle, or an acquisition against a documented lock order, fails the run (exit 12), printed as lockdep prints it')
    .action(async (spec: string, o: RawCheckOptions) => {
      const flags: CheckFlags = {
        format: o.format,
        deadlock: o.deadlock,
        liveness: o.liveness,
        property: o.property ?? [],
        ...(o.config !== undefined ? { config: o.config } : {}),
        ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
        ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
        ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
        ...(o.memory !== undefined ? { memory: o.memory } : {}),
        ...(o.spillAfter !== undefined ? { spillAfter: o.spillAfter } : {}),
        ...(o.diff ? { diff: true } : {}),
        ...(o.out !== undefined ? { out: o.out } : {}),
        ...(o.dfs ? { dfs: true } : {}),
        ...(o.all ? { all: true } : {}),
        ...(o.path ? { path: o.path } : {}),
        ...(o.workers !== undefined && o.workers > 1 ? { workers: o.workers } : {}),
        ...(o.symmetry ? { symmetry: true } : {}),
        ...(o.por ? { por: true } : {}),
        ...(o.exact ? { exact: true } : {}),
        ...(o.coverage ? { coverage: true } : {}),
        ...(o.inputChecks ? { inputChecks: o.inputChecks } : {}),
        ...(o.lockOrder ? { lockOrder: true } : {}),
      };
      setExit(await checkCommand(spec, flags, ctx, specs));
    });

  program
    .command('simulate')
    .description('random walks through a configuration too big to search (seeded; finding nothing is incomplete)')
    .argument('<spec>', 'a spec id (see daxmc list) or the path of a spec file (.ts, .mts, .js, .mjs)')
    .option('--config <name>', "the configuration (default: the spec's default)")
    .option('--seed <n>', 'the random seed (a whole number)', seedNumber, 1)
    .option('--steps <n>', 'transitions per run, at most', wholeNumber, 100)
    .option('--runs <n>', 'random runs', wholeNumber, 1000)
    .option('--state <hex>', 'start from this PRNG state (as a failed run printed it), to repeat that run')
    .option('--property <name>', "check only this property; repeatable; 'deadlock' names the deadlock check", collect)
    .option('--no-deadlock', 'do not report deadlocks')
    .option('--timeout <seconds>', 'stop after this many seconds (incomplete)', positiveNumber)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--diff', 'text: after state 0, print only what changed (facts in kernel words, or variables)')
    .action(async (spec: string, o: { config?: string; seed: number; steps: number; runs: number; state?: string; property?: string[]; deadlock: boolean; timeout?: number; format: 'text' | 'json'; diff?: boolean }) => {
      const flags: SimulateFlags = {
        seed: o.seed,
        steps: o.steps,
        runs: o.runs,
        deadlock: o.deadlock,
        property: o.property ?? [],
        format: o.format,
        ...(o.config !== undefined ? { config: o.config } : {}),
        ...(o.state !== undefined ? { state: o.state } : {}),
        ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
        ...(o.diff ? { diff: true } : {}),
      };
      setExit(await simulateCommand(spec, flags, ctx, specs));
    });

  program
    .command('replay')
    .description('replay an ITF trace file against its spec and print it')
    .argument('<trace>', 'an ITF trace file written by daxmc (.itf.json)')
    .addOption(new Option('--format <format>', 'output format (svg: the lane diagram)').choices([...CHECK_FORMATS]).default('text'))
    .option('--diff', 'text: after state 0, print only what changed (facts in kernel words, or variables)')
    .option('--spec <spec>', 'replay against this spec id or spec file (default: the spec the trace names)')
    .action(async (file: string, o: { format: CheckFormat; diff?: boolean; spec?: string }) => {
      const flags: ReplayFlags = {
        format: o.format,
        ...(o.diff ? { diff: true } : {}),
        ...(o.spec !== undefined ? { spec: o.spec } : {}),
      };
      setExit(await replayCommand(file, flags, ctx, specs));
    });

  program
    .command('report')
    .description('check every claim of every DAX scheme (or the claims a spec file exports) and print a line per claim as it finishes (files only when asked)')
    .argument('[spec-file]', "a spec file (.ts, .mts, .js, .mjs) whose exported 'claims' to check instead of the built-in ones")
    .option('--scheme <name>', 'only this scheme (v4.2, i-mmap, dax-sem, entry-lock, xfs, ext4); repeatable', collect)
    .option('--claim <id>', 'only this claim (e.g. v4.2/B1); repeatable', collect)
    .option('--verdicts [file]', "also write the Markdown table: to FILE, or without one to the repository's docs/verdicts.md (built-in claims only)")
    .option('--no-verdicts', 'do not write the Markdown table (the default)')
    .option('--traces <dir>', 'also write the golden counterexamples (.itf.json, .txt, .mmd, .svg) under DIR, one per found claim, named by its id')
    .option('--html <dir>', 'also write the HTML report into DIR: the verdict table and a page per counterexample')
    .option('--coverage', 'list the steps that never ran in each "holds" check')
    .option('--full', 'also run the heavy claims (minutes each)')
    .option('--rests-on', 'also run the load-bearing analysis of each holds claim and check each found claim\'s fix (the default with --verdicts)')
    .option('--no-rests-on', 'do not run the load-bearing analysis, even with --verdicts')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <seconds>', 'per-claim time limit (a claim cut by it is incomplete)', positiveNumber)
    .action(async (file: string | undefined, o: { scheme?: string[]; claim?: string[]; verdicts?: string | boolean; traces?: string; html?: string; coverage?: boolean; format: 'text' | 'json'; timeout?: number; full?: boolean; restsOn?: boolean }) => {
      const verdicts = verdictsPlace(o.verdicts, { ...(file !== undefined ? { file } : {}), ...(o.scheme ? { scheme: o.scheme } : {}), ...(o.claim ? { claim: o.claim } : {}) });
      setExit(
        await reportCommand(
          {
            ...(verdicts !== undefined ? { verdicts } : {}),
            ...(file !== undefined ? { file } : {}),
            format: o.format,
            ...(o.scheme ? { scheme: o.scheme } : {}),
            ...(o.claim ? { claim: o.claim } : {}),
            ...(o.traces !== undefined ? { traces: o.traces } : {}),
            ...(o.html !== undefined ? { html: o.html } : {}),
            ...(o.coverage ? { coverage: true } : {}),
            ...(o.full ? { full: true } : {}),
            ...(o.restsOn !== undefined ? { restsOn: o.restsOn } : {}),
            ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
          },
          ctx,
          specs,
        ),
      );
    });

  program
    .command('why')
    .description('what a claim\'s verdict rests on: each mechanism its search meets taken away in turn (a "found" claim: its fix)')
    .argument('<claim-or-spec-file>', 'a claim id (e.g. dax-sem/C3-1-3t2i), or a spec file whose exported claims to look in')
    .argument('[claim]', 'with a spec file: the id of one of its claims')
    .option('--mutant <mechanism>', 'only this mechanism taken away: print its counterexample (the words daxmc why lists)')
    .option('--only <subject>', 'only the mechanisms about this lock class, function or kind (dax_sem, wake-up, i_size check); repeatable', collect)
    .addOption(new Option('--format <format>', 'text or json; with --mutant a trace format: text, itf, mermaid, svg').choices([...WHY_FORMATS]).default('text'))
    .option('--out <dir>', 'with --mutant: also write the trace files (.itf.json, .txt, .svg) into DIR')
    .option('--max-states <n>', 'per mutant: stop after N distinct states (the mutant is then unsettled unless it broke)', wholeNumber)
    .option('--timeout <seconds>', 'per mutant time limit', positiveNumber)
    .action(async (first: string, second: string | undefined, o: { mutant?: string; only?: string[]; format: WhyFormat; out?: string; maxStates?: number; timeout?: number }) => {
      setExit(
        await whyCommand(
          {
            ...(second !== undefined ? { file: first, claim: second } : { claim: first }),
            format: o.format,
            ...(o.mutant !== undefined ? { mutant: o.mutant } : {}),
            ...(o.only ? { only: o.only } : {}),
            ...(o.out !== undefined ? { out: o.out } : {}),
            ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
            ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
          },
          ctx,
          specs,
        ),
      );
    });

  program
    .command('graph')
    .description("write the whole state graph of a small configuration as Graphviz dot (TLC's -dump dot)")
    .argument('<spec>', 'a spec id (see daxmc list) or the path of a spec file (.ts, .mts, .js, .mjs)')
    .option('--config <name>', "the configuration (default: the spec's default)")
    .option('--max-states <n>', `refuse (exit 5) above this many states (default ${GRAPH_MAX_STATES})`, wholeNumber)
    .option('--property <name>', 'mark the states that violate only these properties; repeatable', collect)
    .option('--out <file>', 'write the dot file here instead of standard output')
    .action(async (spec: string, o: { config?: string; maxStates?: number; property?: string[]; out?: string }) => {
      setExit(
        await graphCommand(
          spec,
          {
            property: o.property ?? [],
            ...(o.config !== undefined ? { config: o.config } : {}),
            ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
            ...(o.out !== undefined ? { out: o.out } : {}),
          },
          ctx,
          specs,
        ),
      );
    });

  program
    .command('explore')
    .description('serve a page on 127.0.0.1 to walk the state space by hand (Ctrl-C stops it)')
    .argument('<spec>', 'a spec id (see daxmc list) or the path of a spec file (.ts, .mts, .js, .mjs)')
    .option('--config <name>', "the configuration (default: the spec's default)")
    .option('--port <n>', 'the port to listen on; 0 picks a free one', portNumber, 3000)
    .option('--no-check', 'do not run the full check in the background at start (the page can start it)')
    .option('--max-states <n>', 'distinct-state limit of the background check', wholeNumber)
    .action(async (spec: string, o: { config?: string; port: number; check: boolean; maxStates?: number }) => {
      setExit(
        await exploreCommand(
          spec,
          {
            port: o.port,
            check: o.check,
            ...(o.config !== undefined ? { config: o.config } : {}),
            ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
          },
          ctx,
          specs,
        ),
      );
    });

  return program;
}

/** Runs one command line (without the node and script words); returns the exit code. */
export async function runCli(args: readonly string[], ctx: CliOptions): Promise<number> {
  if (args.length === 0) {
    ctx.io.err('daxmc: no command given (commands: list, check, simulate, replay, report, why, graph, explore; daxmc --help shows them)\n');
    return ExitCode.usage;
  }
  const hint = tlcHint(args);
  if (hint !== undefined) {
    ctx.io.err(`daxmc: ${hint}\n`);
    return ExitCode.usage;
  }
  let code: number = ExitCode.pass;
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version were printed on request; every other commander error is a usage error
      // whose one-line message outputError has already written.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.pass;
      return ExitCode.usage;
    }
    const exit = exitCodeOfError(e);
    const prefix = exit === ExitCode.internal ? 'internal error: ' : '';
    ctx.io.err(`daxmc: ${prefix}${oneLine(messageOf(e))}\n`);
    return exit;
  }
}
