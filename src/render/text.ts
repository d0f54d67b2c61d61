// Text output in TLC's tradition: a one-line verdict, the figures of the run, warnings, then the
// trace as numbered states (State 0 is the initial state) with `/\ name = value` lines, changed
// variables marked with a leading `*`, and a footer with the commands that replay it. Pure
// functions from a report or a trace to a string; timings can be left out for golden files.
import { match } from 'ts-pattern';
import type { CheckResult, Discovery } from '../check/result';
import { formatLabel, type ActionLabel } from '../core/spec';
import { encodePath, type Trace, type TraceStep } from '../trace/trace';
import { afterSteps, checkPathCommand, count, lassoPhrase, plural, probability, replayFileCommand, stepRole } from './format';
import { lassoOf } from '../trace/trace';
import type { CheckReport } from './report';
import { formatValue } from './value';
import { GONE, diffWords, fieldLabel } from './words';
import { mutationWords } from './mutation-words';
import { lockdepReports, lockOrderFound } from './lockdep';
import { lockOrderData } from './svg-lock-order';

export interface TextOptions {
  /** Include elapsed time and states per second (default true; false for golden outputs). */
  readonly timings?: boolean;
  /** After state 0, print only the variables that changed (default false). */
  readonly diff?: boolean;
  /** How the spec is named in replay commands: its id, or the path of the user's spec file. */
  readonly specArg?: string;
  /** The ITF file the trace was written to, for the `daxmc replay` footer line. */
  readonly itfFile?: string;
  /** The spec file to pass to `daxmc replay --spec`, when the spec is not built in. */
  readonly specFile?: string;
  /** A mutant's trace: the mechanism taken away, in the spec's words (default: from the mutation record). */
  readonly mutantWords?: string;
}

// ---------------------------------------------------------------------------------------------
// Verdict

function how(report: CheckReport): string {
  if (report.replayedPath) return 'along the given --path';
  const reduced = report.result.reduction?.available === true;
  return match(report.result.strategy)
    .with('bfs', () => (reduced ? 'BFS with partial-order reduction: shortest in the reduced graph' : 'BFS: shortest'))
    .with('dfs', () => 'DFS: not necessarily shortest')
    .exhaustive();
}

/** What the 'lock order' analysis of `analyses` found, in a phrase (check --lock-order). */
function lockOrderWords(analyses: CheckResult['analyses']): string {
  const data = lockOrderData(analyses);
  return data ? lockOrderFound(data) : 'a lock-order finding';
}

function failureText(d: Discovery, qualifier: string, analyses: CheckResult['analyses'] = []): string {
  const n = d.path.actions.length;
  return match(d.kind)
    .with('lock-order', () => `lock order: ${lockOrderWords(analyses)}`)
    .with('invariant', () => `invariant "${d.property}" violated ${afterSteps(n)} (${qualifier})`)
    .with('deadlock', () => `deadlock reached ${afterSteps(n)} (${qualifier})`)
    .with('witness', () => `"${d.property}" witnessed ${afterSteps(n)} (${qualifier})`)
    .with('liveness', () => `liveness "${d.property}" violated: ${lassoPhrase(d.path)} (${qualifier === 'BFS: shortest' ? 'shortest stem' : qualifier})`)
    .exhaustive();
}

function passText(report: CheckReport): string {
  const { result, checked } = report;
  const n = checked.invariants.length + (report.replayedPath ? 0 : (checked.liveness?.length ?? 0));
  const holds = n === 1 ? '1 property holds' : `${count(n)} properties hold`;
  if (report.replayedPath) {
    const states = plural(result.stats.distinct, 'state');
    if (n > 0) return `the path replays; ${holds} in each of its ${states}`;
    return `the path replays through ${states}`;
  }
  const over = `over ${plural(result.stats.distinct, 'distinct state')}`;
  if (n > 0) return `${holds} ${over}`;
  if (checked.deadlock) return `no deadlock ${over}`;
  return `nothing to check; explored ${plural(result.stats.distinct, 'distinct state')}`;
}

/** The one-line verdict: `PASS  ...`, `FAIL  ...`, `INCOMPLETE  ...` or `ERROR  ...`. */
export function verdictLine(report: CheckReport): string {
  const r = report.result;
  return match(r.verdict)
    .with('pass', () => `PASS  ${passText(report)}`)
    .with('fail', () => {
      if (!r.failure) return 'FAIL  a property failed';
      // check --lock-order over a run that passed or stopped: what else held, or where it stopped.
      const rest = r.failure.kind !== 'lock-order' ? '' : r.limit ? `; ${r.limit.detail} before the search was done` : `; otherwise ${passText(report)}`;
      return `FAIL  ${failureText(r.failure, how(report), r.analyses)}${rest}`;
    })
    .with('incomplete', () => `INCOMPLETE  ${r.limit?.detail ?? 'stopped early'}; no violation found so far`)
    .with('error', () => `ERROR  ${r.error ?? 'the spec failed'}`)
    .exhaustive();
}

// ---------------------------------------------------------------------------------------------
// Figures

function checkedLine(report: CheckReport): string {
  const c = report.checked;
  const parts = [plural(c.invariants.length, 'invariant'), plural(c.witnesses.length, 'witness', 'witnesses')];
  parts.push(c.deadlock ? 'deadlock' : 'no deadlock check');
  if (c.liveness && c.liveness.length > 0) parts.push(plural(c.liveness.length, 'liveness property', 'liveness properties'));
  return parts.join(', ');
}

/** The figures of a run, TLC's set: states, depth, queue, collision estimate, and optionally time. */
export function statsBlock(report: CheckReport, opts: { readonly timings?: boolean } = {}): string {
  const s = report.result.stats;
  const lines = [`  spec        ${report.spec}, configuration ${report.config}`, `  checked     ${checkedLine(report)}`];
  if (report.replayedPath) {
    lines.push(`  path        ${encodePath(report.replayedPath)} (${plural(report.replayedPath.actions.length, 'step')})`);
  } else {
    lines.push(
      `  states      ${count(s.distinct)} distinct, ${count(s.generated)} generated, depth ${count(s.depth)}, ${count(s.queued)} queued`,
      `  collisions  calculated (optimistic): ${probability(s.collisionProbability)}`,
    );
    if (s.collisions !== undefined) lines.push(`  exact       whole states compared: ${plural(s.collisions, 'fingerprint collision')} found`);
    // A failure found before a limit (--all, then Ctrl-C): the verdict stands, the search is partial.
    const r = report.result;
    if (r.limit && r.verdict === 'fail') lines.push(`  stopped     ${r.limit.detail} before the search was done: later discoveries may be missing`);
    if (s.spilled !== undefined) lines.push(`  disk        ${count(s.spilled)} fingerprints on disk after ${plural(s.merges ?? 0, 'merge')}`);
    const contract = report.result.contract;
    if (contract?.inputWrites === 'sampled') {
      lines.push(`  contract    writes of the input state checked in the first ${count(contract.perAction)} expansions only (--input-checks sampled)`);
    }
    if (s.edges !== undefined) lines.push(`  graph       ${plural(s.edges, 'edge')} kept for the liveness check`);
    if (report.result.livenessSkipped !== undefined) lines.push(`  liveness    not checked: ${report.result.livenessSkipped}`);
    const red = report.result.reduction;
    if (red) {
      lines.push(
        red.available
          ? `  reduction   partial-order: ${count(red.ample)} states expanded by one thread-private step, ${count(red.tried - red.ample)} more fully by the cycle proviso`
          : `  reduction   partial-order: none (a checked property reads the threads' pcs or locals)`,
      );
    }
  }
  if (opts.timings ?? true) {
    const secs = `${(s.elapsedMs / 1000).toFixed(2)} s`;
    const fair = s.livenessMs !== undefined ? `, fair cycles searched in ${(s.livenessMs / 1000).toFixed(2)} s` : '';
    lines.push(`  time        ${report.replayedPath ? secs : `${secs}, ${count(statesPerSecond(report.result))} distinct states/s${fair}`}`);
  }
  return lines.join('\n');
}

/** Distinct states per second of elapsed time (0 when no time has elapsed). */
export function statesPerSecond(r: Pick<CheckResult, 'stats'>): number {
  const secs = r.stats.elapsedMs / 1000;
  return secs > 0 ? Math.round(r.stats.distinct / secs) : 0;
}

/**
 * Vacuity warnings: `sometimes` properties with no witness, and, after a search of the whole
 * space, the actions never enabled in any state (an action whose guard never holds, or that
 * forgets to return true, is dead code of the model).
 */
/** Whether the search went through every state: a pass, or a lock-order failure (check --lock-order) with no limit hit. */
function searchedAll(report: CheckReport): boolean {
  const r = report.result;
  return r.verdict === 'pass' || (r.failure?.kind === 'lock-order' && !r.limit && !report.replayedPath);
}

export function warnings(report: CheckReport): string[] {
  const r = report.result;
  const whole = searchedAll(report);
  const lines = r.unwitnessed.map((w) => {
    if (report.replayedPath) return `note: "${w}" is not witnessed along the path`;
    if (whole) return `warning: no state witnesses "${w}": the model may be vacuous there`;
    return `note: "${w}" was not witnessed before the run stopped`;
  });
  const never = neverEnabled(report);
  if (never.length > 0 && whole && !report.replayedPath) {
    const all = report.actions?.length ?? 0;
    const what =
      never.length <= 3
        ? `${never.length === 1 ? 'action' : 'actions'} ${never.map((a) => formatLabel(a)).join(', ')} ${never.length === 1 ? 'was' : 'were'} never enabled`
        : `${count(never.length)} of ${count(all)} actions were never enabled`;
    // Per actor when there are several (a kernel world's threads): which thread's code never ran.
    const labels = report.actions ?? [];
    const actors = new Set(labels.map((l) => l.actor));
    const perActor = new Map<string, number>();
    for (const a of never) if (a.actor !== null) perActor.set(a.actor, (perActor.get(a.actor) ?? 0) + 1);
    const by =
      never.length > 3 && actors.size > 1 && !actors.has(null)
        ? ` (${[...perActor].map(([actor, n]) => `${actor} ${count(n)}`).join(', ')})`
        : '';
    lines.push(
      `warning: ${what} in any state${by}: the configuration never reaches ${never.length === 1 ? 'it' : 'them'}, or the model is vacuous there${report.coverage ? '' : ' (--coverage lists every action)'}`,
    );
  }
  return lines;
}

/** The actions that generated no successor in the run. */
export function neverEnabled(report: CheckReport): ActionLabel[] {
  const labels = report.actions;
  if (!labels) return [];
  const gen = report.result.coverage.generated;
  return labels.filter((_, a) => (gen[a] ?? 0) === 0);
}

/**
 * TLC's -coverage: per action, in the spec's order, how many successors it generated (the times
 * it was enabled) and how many of those were new states.
 */
export function coverageBlock(report: CheckReport): string {
  const labels = report.actions ?? [];
  const { generated, distinct } = report.result.coverage;
  const names = labels.map((l) => formatLabel(l));
  const w = Math.max(6, ...names.map((n) => n.length));
  const g = Math.max(9, ...labels.map((_, a) => count(generated[a] ?? 0).length));
  const d = Math.max(8, ...labels.map((_, a) => count(distinct[a] ?? 0).length));
  const lines = [`Coverage (${searchedAll(report) ? 'the whole state space' : 'the states explored'}):`, `  ${'action'.padEnd(w)}  ${'generated'.padStart(g)}  ${'distinct'.padStart(d)}`];
  labels.forEach((_, a) => {
    const gen = generated[a] ?? 0;
    lines.push(`  ${names[a].padEnd(w)}  ${count(gen).padStart(g)}  ${count(distinct[a] ?? 0).padStart(d)}${gen === 0 ? '  never enabled' : ''}`);
  });
  return lines.join('\n');
}

function discoveryLine(d: Discovery, report: CheckReport, specArg: string): string {
  const n = d.path.actions.length;
  const what = match(d.kind)
    .with('invariant', () => `invariant  "${d.property}" violated ${afterSteps(n)}`)
    .with('deadlock', () => `deadlock   reached ${afterSteps(n)}`)
    .with('witness', () => `witness    "${d.property}" ${afterSteps(n)}`)
    .with('liveness', () => `liveness   "${d.property}" violated: ${lassoPhrase(d.path)}`)
    .with('lock-order', () => `lock order ${lockOrderWords(report.result.analyses)}; the acquisition lockdep reports ${afterSteps(n)}`)
    .exhaustive();
  return `  ${what}: ${checkPathCommand(specArg, report.config, d.path)}`;
}

function analysesBlock(report: CheckReport, specArg: string): string[] {
  const lines: string[] = [];
  for (const a of report.result.analyses) {
    lines.push(`Analysis "${a.name}": ${a.summary}`);
    for (const f of a.findings) {
      lines.push(`  ${f.severity}: ${f.summary}`);
      for (const d of f.details) lines.push(`    ${d}`);
      for (const e of f.examples ?? []) lines.push(`    example: ${e.caption}: ${checkPathCommand(specArg, report.config, e.path)}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The trace

function stateHeader(step: TraceStep, trace: Trace): string {
  if (step.label === null) return `State 0: <initial state${trace.path.init === 0 ? '' : ` #${trace.path.init}`}>`;
  const role = stepRole(trace, step.index);
  return `State ${step.index}: ${formatLabel(step.label)}${role ? `  [${role}]` : ''}`;
}

/**
 * A state's lines: the spec's words when it has them (Spec.present; with `diff`, only the facts
 * that changed, and those gone as `(none)`), else its variables, the changed ones marked `*`.
 */
function stateLines(step: TraceStep, prev: TraceStep | undefined, diff: boolean): string[] {
  const lines: string[] = [];
  const only = diff && prev !== undefined;
  if (step.words) {
    const d = diffWords(step.words, prev?.words);
    for (const f of d.fields) if (!only || f.changed) lines.push(`${f.changed ? '* ' : '  '}/\\ ${fieldLabel(f)} = ${f.text}`);
    for (const f of d.gone) lines.push(`* /\\ ${fieldLabel(f)} = ${GONE}`);
    if (prev && !d.gone.length && !d.fields.some((f) => f.changed)) lines.push('  (nothing changed)');
    return lines;
  }
  const changed = new Set(step.changed);
  const names = step.value.keySeq().toArray();
  const shown = only ? names.filter((n) => changed.has(n)) : names;
  for (const n of shown) lines.push(`${changed.has(n) ? '* ' : '  '}/\\ ${n} = ${formatValue(step.value.get(n))}`);
  if (shown.length === 0) lines.push('  (no variable changed)');
  return lines;
}

/**
 * How a lasso ends, as TLC prints it: the step that closes the cycle as "Back to state k" (with
 * its notes; its state is state k again), or "State n+1: Stuttering" after the last state.
 */
export function renderLoopText(trace: Trace): string | undefined {
  const lasso = lassoOf(trace);
  if (!lasso) return undefined;
  const last = trace.steps[trace.steps.length - 1];
  if (lasso.stutter) return `State ${last.index + 1}: Stuttering`;
  const lines = [`Back to state ${lasso.start}: ${last.label ? formatLabel(last.label) : '?'}`];
  // A `call` note repeats the header's call chain.
  for (const note of last.notes) if (note.kind !== 'call') lines.push(`  \\* ${note.kind}: ${note.text}`);
  return lines.join('\n');
}

/** The numbered states of a trace, then what its last state shows (violation, deadlock, witness). */
export function renderTraceText(trace: Trace, opts: { readonly diff?: boolean } = {}): string {
  const blocks: string[] = [];
  const lasso = lassoOf(trace);
  // A cycle's closing step leads back to a state already printed: TLC's "Back to state k".
  const printed = lasso && !lasso.stutter ? trace.steps.slice(0, -1) : trace.steps;
  printed.forEach((step, i) => {
    const lines = [stateHeader(step, trace)];
    // A `call` note repeats the header's call chain.
    for (const note of step.notes) if (note.kind !== 'call') lines.push(`  \\* ${note.kind}: ${note.text}`);
    lines.push(...stateLines(step, i > 0 ? trace.steps[i - 1] : undefined, opts.diff ?? false));
    blocks.push(lines.join('\n'));
  });
  const loop = renderLoopText(trace);
  if (loop !== undefined) blocks.push(loop);
  const end = traceEnding(trace);
  if (end.length > 0) blocks.push(end.join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function traceEnding(trace: Trace): string[] {
  const last = trace.steps[trace.steps.length - 1].index;
  if (trace.kind === undefined) return [];
  return match(trace.kind)
    .with('invariant', () => [
      `Invariant "${trace.property ?? '?'}" is violated in state ${last}${trace.cause !== undefined && trace.cause !== last ? `, caused by step ${trace.cause}` : ''}.`,
      ...(trace.explanation ?? []).map((l) => `  ${l}`),
    ])
    .with('deadlock', () => {
      const lines = [`Deadlock in state ${last}: no action is enabled and not every thread has finished.`];
      if (trace.diagnosis) {
        lines.push(`Diagnosis: ${trace.diagnosis.kind}: ${trace.diagnosis.summary}`);
        for (const d of trace.diagnosis.details) lines.push(`  ${d}`);
      }
      if (trace.explanation?.length) {
        lines.push(`Caused by step ${trace.cause ?? '?'}:`);
        for (const l of trace.explanation) lines.push(`  ${l}`);
      }
      return lines;
    })
    .with('witness', () => [`"${trace.property ?? '?'}" is witnessed in state ${last}.`])
    .with('liveness', () => {
      const lines = [`Liveness property "${trace.property ?? '?'}" is violated: ${lassoPhrase(trace.path)}.`];
      if (trace.diagnosis) {
        lines.push(`Diagnosis: ${trace.diagnosis.kind}: ${trace.diagnosis.summary}`);
        for (const d of trace.diagnosis.details) lines.push(`  ${d}`);
      }
      return lines;
    })
    .exhaustive();
}

/** The commands that replay a trace: `daxmc check ... --path ...` and `daxmc replay <file>`. */
export function replayFooter(trace: Trace, opts: Pick<TextOptions, 'specArg' | 'itfFile' | 'specFile'>): string {
  // A mutant's path replays only with its code change, which its ITF file records (check --path cannot).
  const lines = ['Replay:', ...(trace.mutant ? [] : [`  ${checkPathCommand(opts.specArg ?? trace.spec, trace.config, trace.path)}`])];
  if (opts.itfFile !== undefined) lines.push(`  ${replayFileCommand(opts.itfFile, opts.specFile)}`);
  else if (trace.mutant) lines.push('  (a mutant: daxmc why CLAIM --mutant MECHANISM --out DIR writes its ITF file, which daxmc replay replays)');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Whole outputs

/** The full text report of a check: verdict, figures, warnings, discoveries, trace, footer. */
export function renderCheckText(report: CheckReport, opts: TextOptions = {}): string {
  const specArg = opts.specArg ?? report.spec;
  const sections: string[] = [verdictLine(report), statsBlock(report, opts)];
  if (report.coverage && report.actions && !report.replayedPath) sections.push(coverageBlock(report));
  const warn = warnings(report);
  if (warn.length > 0) sections.push(warn.join('\n'));
  const r = report.result;
  if (r.discoveries.some((d) => d !== r.failure)) {
    sections.push(['Discoveries:', ...r.discoveries.map((d) => discoveryLine(d, report, specArg))].join('\n'));
  }
  if (report.replayedPath && r.failure && r.failure.path.actions.length < report.replayedPath.actions.length) {
    const rest = report.replayedPath.actions.length - r.failure.path.actions.length;
    sections.push(`note: the given path goes on for ${plural(rest, 'step')} after the violation; the trace stops at it`);
  }
  const analyses = analysesBlock(report, specArg);
  if (analyses.length > 0) sections.push(analyses.join('\n'));
  // check --lock-order: each cycle and inversion as lockdep reports it.
  const lockOrder = r.discoveries.some((d) => d.kind === 'lock-order') ? lockOrderData(r.analyses) : undefined;
  if (lockOrder) sections.push(lockdepReports(lockOrder, (path) => checkPathCommand(specArg, report.config, path)));
  if (report.trace) {
    sections.push(renderTraceText(report.trace, opts).trimEnd());
    sections.push(replayFooter(report.trace, { ...opts, specArg }));
  }
  return `${sections.join('\n\n')}\n`;
}

/** The verdict line for a trace replayed from a file. */
export function traceVerdictLine(trace: Trace, source: string): string {
  const n = trace.path.actions.length;
  const from = `replayed from ${source}`;
  if (trace.kind === undefined) return `PASS  the trace replays through ${plural(n + 1, 'state')} (${from})`;
  const d: Discovery = { property: trace.property ?? 'deadlock', kind: trace.kind, path: trace.path };
  return match(trace.kind)
    .with('invariant', 'deadlock', 'liveness', () => `FAIL  ${failureText(d, from)}`)
    .with('witness', () => `PASS  ${failureText(d, from)}`)
    .exhaustive();
}

/** The text of a replayed trace file: verdict, the trace, and the commands that replay it. */
export function renderReplayText(trace: Trace, source: string, opts: TextOptions = {}): string {
  // A mutant's trace (daxmc why --mutant) says which code change it was replayed with.
  const mutant = trace.mutant ? [`a mutant of ${trace.spec}: ${opts.mutantWords ?? mutationWords(trace.mutant)} (daxmc why)`] : [];
  return `${[traceVerdictLine(trace, source), ...mutant, renderTraceText(trace, opts).trimEnd(), replayFooter(trace, opts)].join('\n\n')}\n`;
}

