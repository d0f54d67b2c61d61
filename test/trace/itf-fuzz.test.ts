// A bounded, seeded fuzz of the trace reader: daxmc's own traces (DieHard, TwoPhase with records,
// the lock fixture with notes and a diagnosis), mutated as text (truncated, bytes changed,
// fragments inserted or cut) and as JSON (values replaced by other types, deep nesting, huge
// numbers, prototype names, control characters; keys dropped or added; states reordered). The
// reader must answer every one with a trace or a TraceFileError (never another exception), and
// `daxmc replay` with exit 0, 11, 12 or 4 and, for 4, one line on stderr. Counts and a time
// budget bound it; the seeds make every run the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/check/prng';
import { TraceFileError } from '../../src/core/errors';
import type { SpecDefinition } from '../../src/core/spec';
import { buildSpec } from '../../src/run';
import { itfToString, parseItf, replayItf, toItf } from '../../src/trace/itf';
import { dieHard } from '../../specs/examples/die-hard';
import { twoPhase } from '../../specs/examples/two-phase';
import { daxmc, tempDir } from '../cli/helpers';
import { reportOf } from '../render/helpers';
import { locksDefinition } from '../render/locks-fixture';

interface Base {
  readonly definition: SpecDefinition;
  readonly text: string;
}

async function bases(): Promise<Base[]> {
  const dh = (await reportOf(dieHard, 'goal')).outcome.trace!;
  const tp = (await reportOf(twoPhase, 'rm3')).outcome.traces.find((t) => t.discovery.property === 'some transaction commits')!.trace;
  const locks = (await reportOf(locksDefinition)).outcome.trace!;
  return [
    { definition: dieHard, text: itfToString(toItf(dh)) },
    { definition: twoPhase, text: itfToString(toItf(tp)) },
    { definition: locksDefinition, text: itfToString(toItf(locks)) },
  ];
}

/** The key of a placeholder for nested arrays, replaced in the text. */
const DEEP = '#daxmc-fuzz-deep';

function withDeep(text: string): string {
  return text.replace(/\{\s*"#daxmc-fuzz-deep":\s*(\d+)\s*\}/g, (_m, n: string) => `${'['.repeat(Number(n))}1${']'.repeat(Number(n))}`);
}

const CHARS = '{}[]":,0123456789-.eE+ \n\t\\/#abcdefnrtulsITF\u0000\u001b\u00e9\u202e\ufeff\ud800';

/** A random JSON value of a type a trace does not expect. */
function oddValue(p: Prng): unknown {
  switch (p.below(12)) {
    case 0:
      return null;
    case 1:
      return p.below(2) === 0 ? 1e308 * 10 : -0.5;
    case 2:
      return 2 ** 53 + p.below(1000);
    case 3:
      return ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'][p.below(5)];
    case 4:
      return `x\u001b[2J\u0007${'y'.repeat(p.below(300))}`;
    case 5:
      // Nested arrays: mostly shallow, one in four deeper than a recursive reader's stack (written
      // into the text after JSON.stringify, which would itself run out of stack).
      return { [DEEP]: p.below(4) === 0 ? 20_000 + p.below(20_000) : 50 + p.below(200) };
    case 6:
      return { '#bigint': p.below(2) === 0 ? '12x' : '123456789012345678901234567890' };
    case 7:
      return { '#map': [[1]] };
    case 8:
      return { '#set': p.below(2) === 0 ? 'no' : [1, 2, 2] };
    case 9:
      return { constructor: 1, __proto__: 2, toString: 3 };
    case 10:
      return [];
    default:
      return p.below(2) === 0;
  }
}

/** Every (container, key) pair in a JSON value, for picking one to mutate. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x, depth + 1)));
    else for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), walk((v as Record<string, unknown>)[k], depth + 1);
  };
  walk(root, 0);
  return out;
}

/** One mutation of a trace's text. */
function mutate(text: string, p: Prng): string {
  const at = (): number => p.below(text.length + 1);
  switch (p.below(10)) {
    case 0:
      return text.slice(0, at());
    case 1: {
      const i = at();
      return text.slice(0, i) + CHARS[p.below(CHARS.length)] + text.slice(i + 1);
    }
    case 2: {
      const i = at();
      return text.slice(0, i) + Array.from({ length: 1 + p.below(6) }, () => CHARS[p.below(CHARS.length)]).join('') + text.slice(i);
    }
    case 3: {
      const i = at();
      return text.slice(0, i) + text.slice(i + 1 + p.below(40));
    }
    default: {
      const json = JSON.parse(text) as Record<string, unknown>;
      const all = slots(json);
      const [container, key] = all[p.below(all.length)];
      const c = container as Record<string | number, unknown>;
      switch (p.below(5)) {
        case 0:
          if (Array.isArray(container)) container.splice(key as number, 1);
          else delete c[key];
          break;
        case 1:
          if (typeof c[key] === 'number') c[key] = (c[key] as number) + (p.below(2) === 0 ? 1 : -1);
          else c[key] = oddValue(p);
          break;
        case 2:
          if (!Array.isArray(container)) c[['constructor', '__proto__', 'extra', '#tup', 'states'][p.below(5)]] = oddValue(p);
          else container.push(oddValue(p));
          break;
        case 3: {
          const states = json.states as unknown[];
          if (Array.isArray(states) && states.length > 2) {
            const i = p.below(states.length);
            const j = p.below(states.length);
            [states[i], states[j]] = [states[j], states[i]];
          }
          break;
        }
        default:
          c[key] = oddValue(p);
      }
      return withDeep(JSON.stringify(json, null, p.below(2) === 0 ? 2 : undefined));
    }
  }
}

describe('the trace reader under fuzz', () => {
  it('parseItf and replayItf: a trace or a TraceFileError for each of 3,000 mutations (seeded)', async () => {
    const bs = await bases();
    const specs = bs.map((b) => buildSpec(b.definition).spec);
    const p = new Prng(1_702);
    const outcomes = { replayed: 0, refused: 0 };
    const started = performance.now();
    let n = 0;
    for (; n < 3000 && performance.now() - started < 60_000; n++) {
      const k = p.below(bs.length);
      const text = mutate(bs[k].text, p);
      try {
        replayItf(specs[k], parseItf(text, 'fuzz.itf.json'));
        outcomes.replayed++;
      } catch (e) {
        if (!(e instanceof TraceFileError)) throw new Error(`mutation ${n} threw ${String(e)} for ${JSON.stringify(text.slice(0, 300))}`);
        expect(e.message).not.toContain('\n');
        expect(e.message).not.toContain('Maximum call stack');
        outcomes.refused++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(500);
    // Neither all accepted nor all refused: the mutations reach past the first check.
    expect(outcomes.replayed).toBeGreaterThan(n / 50);
    expect(outcomes.refused).toBeGreaterThan(n / 2);
  });

  it('daxmc replay: exit 0, 11, 12 or 4, and one line for 4, for each of 300 mutated files (seeded)', async () => {
    const bs = await bases();
    const dir = tempDir();
    const p = new Prng(4_242);
    const codes = new Map<number, number>();
    const started = performance.now();
    let n = 0;
    for (; n < 300 && performance.now() - started < 60_000; n++) {
      const k = p.below(bs.length);
      const file = join(dir, `t${n % 10}.itf.json`);
      writeFileSync(file, mutate(bs[k].text, p));
      const r = await daxmc(['replay', file], bs[k].definition === locksDefinition ? { specs: [locksDefinition] } : {});
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      expect([0, 11, 12, 4], `exit ${r.code}: ${r.err}`).toContain(r.code);
      if (r.code === 4) {
        expect(r.err).toMatch(/^daxmc: [^\n]+\n$/);
        expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
        expect(r.out).toBe('');
      } else expect(r.out).toMatch(/^(FAIL|PASS|WITNESS|OK|TRACE)?[^\n]*\n/);
    }
    expect(n).toBeGreaterThanOrEqual(100);
    expect(codes.get(4) ?? 0).toBeGreaterThan(0);
    expect((codes.get(11) ?? 0) + (codes.get(12) ?? 0) + (codes.get(0) ?? 0)).toBeGreaterThan(0);
  });
});
