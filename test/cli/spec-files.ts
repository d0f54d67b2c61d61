// Spec files for the tests that run daxmc on a worker thread or as a process: a counter whose
// module top level, build(), action and property can each be given code (an endless loop, a
// process.exit, a readiness line on stderr). Readiness is announced by the spec's own code
// (`announce()` writes `READY <what>` once to stderr), so a test acts on an event, never after
// a sleep.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYOUT = fileURLToPath(new URL('../../src/core/layout.ts', import.meta.url));

export interface CounterCode {
  /** Statements at the module's top level (after the imports). */
  readonly top?: string;
  /** Statements at the start of build(). */
  readonly build?: string;
  /** Statements at the start of the action, with `s` the state and `s[0]` the counter. */
  readonly step?: string;
  /** Statements at the start of the property (`a stays below LIMIT`), with `s` the state. */
  readonly check?: string;
  /** The counter's top value (default 255); the property fails at `limit` (default never). */
  readonly top_value?: number;
  readonly limit?: number;
  /** Three counters (16,777,216 states) instead of one: a search that runs for minutes. */
  readonly three?: boolean;
}

/**
 * Writes `<name>.ts` into `dir`: spec id `t/<name>`, configuration `c`; one counter (or three)
 * stepped by `w: Inc` (one action per counter), terminal at the top; the invariant
 * `a stays below LIMIT` when `limit` is given. Returns the file's path.
 */
export function counterSpec(dir: string, name: string, code: CounterCode = {}): string {
  const file = join(dir, `${name}.ts`);
  const max = code.top_value ?? 255;
  const n = code.three ? 3 : 1;
  writeFileSync(
    file,
    `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
let announced = false;
/** Writes READY <what> to stderr, once: the test acts on it. */
function announce(what: string): void {
  if (announced) return;
  announced = true;
  process.stderr.write('READY ' + what + '\\n');
}
void announce;
${code.top ?? ''}
const layout = defineLayout({ a: intRange(0, ${max}), b: intRange(0, ${max}), c: intRange(0, ${max}) });
const inc = (i: number) => ({
  name: 'Inc' + 'abc'[i], actor: 'w',
  apply(s: Uint8Array, t: Uint8Array) {
    ${code.step ?? ''}
    if (s[i] >= ${max}) return false;
    t[i] = s[i] + 1;
    return true;
  },
});
export default {
  id: 't/${name}', title: 'counters', description: '', defaultConfig: 'c',
  configs: { c: { description: 'the counters', params: {} } },
  build() {
    ${code.build ?? ''}
    return {
      name: '${name}', layout, init: [layout.encode({ a: 0, b: 0, c: 0 })],
      actions: [${Array.from({ length: n }, (_, i) => `inc(${i})`).join(', ')}],
      properties: [${
        code.limit !== undefined || code.check !== undefined
          ? `{ name: 'a stays below ${code.limit ?? max + 1}', kind: 'always', holds(s: Uint8Array) { ${code.check ?? ''}; return s[0] < ${code.limit ?? max + 1}; } }`
          : ''
      }],
      isTerminal: (s: Uint8Array) => ${Array.from({ length: n }, (_, i) => `s[${i}] === ${max}`).join(' && ')},
    };
  },
};
`,
  );
  return file;
}
