// TwoPhase.tla (Lamport's two-phase commit, the model TLC's figures quote) in Promela for SPIN,
// with N resource managers: one process whose loop offers every action as an atomic guarded
// option, so SPIN's stored states are the TLA+ states (288 for N = 3, as TLC and daxmc count).
// The invariant TCConsistent is asserted after every action.
export function twoPhasePromela(n: number): string {
  const rms = Array.from({ length: n }, (_, r) => r);
  const allPrepared = rms.map((r) => `tmPrepared[${r}]`).join(' && ');
  const consistent = `assert(!(${rms.map((r) => `rm[${r}] == 2`).join(' || ')}) || !(${rms.map((r) => `rm[${r}] == 3`).join(' || ')}))`;
  const option = (guard: string, effect: string): string => `  :: atomic { ${guard} -> ${effect}; ${consistent} }`;
  const lines = [
    `/* TwoPhase, ${n} resource managers. rm: 0 working, 1 prepared, 2 committed, 3 aborted; tm: 0 init, 1 committed, 2 aborted */`,
    `byte rm[${n}];`,
    'byte tm;',
    `bool tmPrepared[${n}];`,
    `bool msgPrepared[${n}];`,
    'bool msgCommit;',
    'bool msgAbort;',
    '',
    'active proctype TP() {',
    '  do',
    option(`tm == 0 && ${allPrepared}`, 'tm = 1; msgCommit = 1'),
    option('tm == 0', 'tm = 2; msgAbort = 1'),
    ...rms.flatMap((r) => [
      option(`tm == 0 && msgPrepared[${r}]`, `tmPrepared[${r}] = 1`),
      option(`rm[${r}] == 0`, `rm[${r}] = 1; msgPrepared[${r}] = 1`),
      option(`rm[${r}] == 0`, `rm[${r}] = 3`),
      option('msgCommit', `rm[${r}] = 2`),
      option('msgAbort', `rm[${r}] = 3`),
    ]),
    '  od',
    '}',
    '',
  ];
  return lines.join('\n');
}
