// ITF traces of values wider than a byte: daxmc writes them as JSON numbers, and reads back a
// trace whose every integer is a {"#bigint": "..."} (as Apalache and Quint write them), negative
// values included; a value past a slot's range in such a file does not replay.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { parseItf, replayItf, toItf, itfToString } from '../../src/trace/itf';
import { replay } from '../../src/trace/trace';
import { buildCoffeeCan } from '../../specs/examples/coffee-can';
import { daxmc, tempDir } from '../cli/helpers';

/** The ITF text with every integer value of the states rewritten as {"#bigint": "..."}. */
function asBigints(text: string): string {
  const itf = JSON.parse(text) as { states: Record<string, unknown>[] };
  for (const s of itf.states) {
    for (const [k, v] of Object.entries(s)) if (k !== '#meta' && typeof v === 'number') s[k] = { '#bigint': String(v) };
  }
  return JSON.stringify(itf, null, 2);
}

describe('ITF with wide and negative integers', () => {
  it('round-trips a coffee-can witness through negative values, and reads it back with #bigint integers', async () => {
    const spec = buildCoffeeCan(3, 400);
    const r = await check(spec);
    const d = r.discoveries.find((x) => x.property === 'one bean is left')!;
    const trace = replay(spec, d.path, { specId: 'coffee-can', config: 'c', property: d.property, kind: 'witness' });
    const text = itfToString(toItf(trace));
    expect(text).toContain('"lead": -397');
    expect(text).toContain('"white": 400');
    const back = replayItf(spec, parseItf(text, 'plain.itf.json'));
    expect(back.steps).toHaveLength(trace.steps.length);
    const big = asBigints(text);
    expect(big).toContain('"lead": {\n        "#bigint": "-397"\n      }');
    const again = replayItf(spec, parseItf(big, 'bigint.itf.json'));
    expect(again.steps.map((s) => s.value.toJS())).toEqual(trace.steps.map((s) => s.value.toJS()));
  });

  it('daxmc replay reads an Apalache-style file of a built-in spec; a value outside the domain does not replay', async () => {
    const dir = tempDir();
    const out = await daxmc(['check', 'coffee-can', '--config', 'beans-1000', '--path', '0/1/1/2', '--format', 'itf']);
    expect(out.code).toBe(0);
    const file = join(dir, 'cc.itf.json');
    writeFileSync(file, asBigints(out.out));
    const r = await daxmc(['replay', file]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`PASS  the trace replays through 4 states (replayed from ${file})`);
    expect(r.out).toContain('/\\ lead = 200');
    const wrong = asBigints(out.out).replace('"#bigint": "601"', '"#bigint": "99999"');
    writeFileSync(file, wrong);
    const bad = await daxmc(['replay', file]);
    expect(bad.code).toBe(4);
    expect(bad.err).toContain('state 1: variable black is 99999 in the trace but 601 on replay');
  });
});
