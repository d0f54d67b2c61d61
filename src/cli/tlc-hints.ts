// TLC's command-line habits answered with daxmc's spelling: a TLC user who types `-workers 4`,
// `-config MC.cfg`, `-deadlock` or `-dump dot g.dot` gets one line naming the daxmc flag or
// command that does the same (exit 2), instead of commander's bare "unknown option".
// Only TLC's own multi-letter single-dash options are recognised; nothing else is touched.

/** TLC option -> what daxmc does instead. */
const HINTS: Readonly<Record<string, string>> = {
  workers: 'daxmc spells it --workers N (or --workers auto, one worker per core)',
  config: 'daxmc has no .cfg files: --config NAME picks one of the spec\'s named configurations (daxmc list shows them)',
  deadlock: "TLC's -deadlock turns the deadlock check off; daxmc spells that --no-deadlock",
  simulate: 'daxmc simulate <spec> [--runs R] [--steps K] [--seed N] does random walks',
  depth: 'for random walks daxmc simulate --steps N; for a bounded search daxmc check --max-depth N',
  seed: 'daxmc simulate --seed N',
  coverage: 'daxmc check --coverage (and daxmc report --coverage for the claims)',
  dump: 'daxmc graph <spec> --config NAME --out FILE.dot draws the state graph of a small configuration; --format dot draws one trace',
  dumpTrace: 'daxmc check --out DIR writes the trace as .itf.json (and .txt, .mmd, .dot, .svg); --format itf prints it',
  difftrace: 'daxmc spells it --diff',
  continue: 'daxmc spells it --all',
  dfid: 'daxmc check --dfs --max-depth N',
  fp: "daxmc's fingerprints are fixed 64-bit hashes; --exact compares whole states so no state is lost to a collision",
  fpbits: "daxmc's fingerprints are fixed 64-bit hashes; --exact compares whole states so no state is lost to a collision",
  fpmem: 'daxmc spells it --memory MiB (the seen table spills to disk to stay under it)',
  metadir: 'daxmc keeps no states directory: --memory MiB or --spill-after N spill the seen table into a temporary directory',
  checkpoint: 'daxmc takes no checkpoints: --timeout S and --max-states N end a run as incomplete',
  recover: 'daxmc takes no checkpoints: --timeout S and --max-states N end a run as incomplete',
  maxSetSize: 'daxmc has no such limit: a spec\'s variables have finite domains by construction',
  view: "a view is part of the spec (Spec.canonical); daxmc check --symmetry uses the spec's symmetry",
  cleanup: 'daxmc leaves nothing behind to clean up',
  gzip: 'daxmc writes no state files to compress',
  nowarning: 'daxmc has no such option',
  terse: 'daxmc has no such option; --format json gives the result as data',
  tool: 'daxmc check --format json gives the result as data',
  lncheck: 'daxmc has no such option',
  noTE: 'daxmc writes trace files only with --out DIR',
  generateSpecTE: 'daxmc writes trace files only with --out DIR; daxmc replay FILE replays one',
};

/** The hint for the first TLC-style option in `args`, as the one-line error; undefined if none. */
export function tlcHint(args: readonly string[]): string | undefined {
  for (const a of args) {
    const m = /^-([A-Za-z][A-Za-z]+)(?:=.*)?$/.exec(a);
    if (!m) continue;
    const hint = HINTS[m[1]];
    if (hint !== undefined) return `${a.replace(/=.*$/, '')} is TLC's option: ${hint}`;
  }
  return undefined;
}
