// `daxmc check --lock-order` through the CLI: one verdict for the text, the JSON and the exit
// code (a lock-order cycle with no deadlock reached fails the run everywhere, and passes it
// everywhere without the flag), on the built-in ext4/v4.2 cycle and on a user's spec file.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainText } from '../../src/core/lock-chain';
import { daxmc, tempDir } from './helpers';

const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/**
 * The newcomer trial's spec: ext2's fault takes dax_sem for read then truncate_mutex; its
 * ext2_setsize, swapped, takes truncate_mutex then dax_sem for write. Documented order:
 * dax_sem -> truncate_mutex.
 */
function ext2Swap(dir: string): string {
  const file = join(dir, 'ext2-swap.ts');
  writeFileSync(
    file,
    `import { P, World, compile, fn, step, type SpecDefinition } from ${JSON.stringify(INDEX)};
const spec: SpecDefinition = {
  id: 'ext2-swap',
  title: 'ext2 dax_sem, setsize swapped',
  description: 'fault: dax_sem (read) then truncate_mutex; setsize: truncate_mutex then dax_sem (write)',
  configs: { two: { description: 'a fault and a setsize', params: {} } },
  defaultConfig: 'two',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const tm = w.mutex('truncate_mutex');
    const ds = w.rwsem('dax_sem');
    w.documentOrder(['dax_sem', 'truncate_mutex'], 'fs/ext2/ext2.h');
    w.thread('T1', { process: 'P1', path: fn('fault', [
      step('down_read(dax_sem)', (k) => k.downRead(ds)),
      step('mutex_lock(truncate_mutex)', (k) => k.lock(tm)),
      step('mutex_unlock(truncate_mutex)', (k) => k.unlock(tm)),
      step('up_read(dax_sem)', (k) => k.upRead(ds)),
    ]) });
    w.thread('T2', { process: 'P1', path: fn('ext2_setsize', [
      step('mutex_lock(truncate_mutex)', (k) => k.lock(tm)),
      step('down_write(dax_sem)', (k) => k.downWrite(ds)),
      step('up_write(dax_sem)', (k) => k.upWrite(ds)),
      step('mutex_unlock(truncate_mutex)', (k) => k.unlock(tm)),
    ]) });
    return compile(w, 'two', [P.noLockMisuse, P.completes(0), P.completes(1)]).spec;
  },
};
export default spec;
`,
  );
  return file;
}

interface Verdict {
  readonly code: number;
  readonly json: { verdict: string; exitCode: number; failure: unknown; severities: string[] };
  readonly firstLine: string;
  readonly verdictLines: string[];
}

/** The run's verdict three ways: exit code, the JSON's fields, and the text's verdict lines. */
async function verdicts(args: string[], cwd?: string): Promise<Verdict> {
  const opts = cwd ? { cwd } : {};
  const json = await daxmc([...args, '--format', 'json'], opts);
  const text = await daxmc(args, opts);
  expect(text.code).toBe(json.code);
  const r = JSON.parse(json.out) as { verdict: string; exitCode: number; failure: unknown; analyses: { name: string; findings: { severity: string }[] }[] };
  const lines = text.out.split('\n');
  return {
    code: json.code,
    json: { verdict: r.verdict, exitCode: r.exitCode, failure: r.failure, severities: r.analyses.find((a) => a.name === 'lock order')!.findings.map((f) => f.severity) },
    firstLine: lines[0],
    // Every line that reads as a verdict: one, and it must agree with the exit code.
    verdictLines: lines.filter((l) => /^(PASS|FAIL|INCOMPLETE|ERROR) {2}/.test(l)),
  };
}

const EXT4 = ['check', 'ext4/v4.2', '--config', 'mkwrite-vs-punch-no-commit', '--property', 'no lock misuse'];
const EXT4_CLOSING = '0/0/1/2/3/4/7/8/15/16/17/18/41/42/43/44/94/95/96/97/98/99/100/101/102';
const EXT4_FOUND = '1 lock-order cycle (R(jbd2_handle) \u2192 W(page lock) \u2192 R(jbd2_handle)) and 1 acquisition against a documented lock order';

describe('check --lock-order: one verdict for the text, the JSON and the exit code', () => {
  it('ext4/v4.2 without a commit thread (a cycle, no deadlock reachable): pass without the flag', async () => {
    const v = await verdicts(EXT4);
    expect(v).toEqual({
      code: 0,
      json: { verdict: 'pass', exitCode: 0, failure: null, severities: ['warning', 'warning'] },
      firstLine: 'PASS  1 property holds over 4,849 distinct states',
      verdictLines: ['PASS  1 property holds over 4,849 distinct states'],
    });
  });

  it('ext4/v4.2 with --lock-order: fail, exit 12, the failure is the acquisition lockdep reports', async () => {
    const v = await verdicts([...EXT4, '--lock-order']);
    const line = `FAIL  lock order: ${EXT4_FOUND}; otherwise 1 property holds over 4,849 distinct states`;
    expect(v).toEqual({
      code: 12,
      json: { verdict: 'fail', exitCode: 12, failure: { property: 'lock order', kind: 'lock-order', length: 24, path: EXT4_CLOSING }, severities: ['error', 'error'] },
      firstLine: line,
      verdictLines: [line],
    });
  });

  it('the trace formats print the same verdict line on stderr, and no trace', async () => {
    const r = await daxmc([...EXT4, '--lock-order', '--format', 'itf']);
    expect([r.code, r.out, r.err]).toEqual([12, '', `FAIL  lock order: ${EXT4_FOUND}; otherwise 1 property holds over 4,849 distinct states\n`]);
  });

  it('--out writes nothing for a lock-order failure, and says why', async () => {
    const dir = tempDir();
    const r = await daxmc([...EXT4, '--lock-order', '--out', dir, '--format', 'itf']);
    expect(r.code).toBe(12);
    expect(r.err.split('\n').slice(1)).toEqual([
      "daxmc: --out: nothing written: a lock-order cycle has no single counterexample trace (each edge's example path is in the report)",
      '',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a violation found first stays the failure; the lock-order finding joins the discoveries', async () => {
    const r = await daxmc(['check', 'ext4/v4.2', '--config', 'mkwrite-vs-punch-no-commit', '--lock-order', '--format', 'json']);
    const j = JSON.parse(r.out) as { verdict: string; exitCode: number; failure: { kind: string; property: string }; discoveries: { kind: string; property: string }[] };
    expect([r.code, j.verdict, j.exitCode, j.failure.kind, j.failure.property]).toEqual([12, 'fail', 12, 'invariant', 'no PTE maps a freed block']);
    expect(j.discoveries.map((d) => `${d.kind}: ${d.property}`)).toEqual(['witness: T2 can return', 'invariant: no PTE maps a freed block', 'lock-order: lock order']);
  });

  it("a user's spec file (the trial's ext2 swap): pass without the flag, fail with it", async () => {
    const dir = tempDir();
    ext2Swap(dir);
    const args = ['check', './ext2-swap.ts', '--no-deadlock', '--no-liveness'];
    const found = '1 lock-order cycle (W(truncate_mutex) \u2192 W(dax_sem), R(dax_sem) \u2192 W(truncate_mutex)) and 1 acquisition against a documented lock order';
    expect(await verdicts(args, dir)).toEqual({
      code: 0,
      json: { verdict: 'pass', exitCode: 0, failure: null, severities: ['warning', 'warning'] },
      firstLine: 'PASS  1 property holds over 22 distinct states',
      verdictLines: ['PASS  1 property holds over 22 distinct states'],
    });
    const line = `FAIL  lock order: ${found}; otherwise 1 property holds over 22 distinct states`;
    expect(await verdicts([...args, '--lock-order'], dir)).toEqual({
      code: 12,
      json: { verdict: 'fail', exitCode: 12, failure: { property: 'lock order', kind: 'lock-order', length: 2, path: '0/0/1' }, severities: ['error', 'error'] },
      firstLine: line,
      verdictLines: [line],
    });
    expect(existsSync(join(dir, 'ext2-swap.ts'))).toBe(true);
  });

  it('a run stopped by a limit after the cycle was seen fails, and says where it stopped', async () => {
    const dir = tempDir();
    ext2Swap(dir);
    const args = ['check', './ext2-swap.ts', '--no-deadlock', '--no-liveness', '--max-states', '8'];
    expect((await verdicts(args, dir)).verdictLines).toEqual(['INCOMPLETE  reached --max-states 8; no violation found so far']);
    const v = await verdicts([...args, '--lock-order'], dir);
    expect([v.code, v.json.verdict, v.json.exitCode]).toEqual([12, 'fail', 12]);
    expect(v.verdictLines).toEqual([`FAIL  lock order: 1 lock-order cycle (W(truncate_mutex) \u2192 W(dax_sem), R(dax_sem) \u2192 W(truncate_mutex)) and 1 acquisition against a documented lock order; reached --max-states 8 before the search was done`]);
  });
});

describe('a lock-order cycle is written edge by edge, held -> acquired, each end in its own mode', () => {
  it('chainText: a chain where each edge holds what the one before acquired, a comma where the modes differ', () => {
    expect(chainText([{ held: 'R(a)', acquired: 'W(b)' }, { held: 'W(b)', acquired: 'R(a)' }], '->')).toBe('R(a) -> W(b) -> R(a)');
    expect(chainText([{ held: 'W(a)', acquired: 'W(b)' }, { held: 'R(b)', acquired: 'W(a)' }], '\u2192')).toBe('W(a) \u2192 W(b), R(b) \u2192 W(a)');
    expect(chainText([{ held: 'R(a)', acquired: 'W(a)' }], '->')).toBe('R(a) -> W(a)');
  });

  it("the trial's ext2 swap: the summary, the edges and lockdep's scenario agree on dax_sem's two modes", async () => {
    const dir = tempDir();
    ext2Swap(dir);
    const r = await daxmc(['check', './ext2-swap.ts', '--no-deadlock', '--no-liveness', '--lock-order'], { cwd: dir });
    const lines = r.out.split('\n');
    const at = lines.indexOf('  error: lock-order cycle: W(truncate_mutex) -> W(dax_sem), R(dax_sem) -> W(truncate_mutex)');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    W(truncate_mutex) -> W(dax_sem)  [T2] at T2: ext2_setsize: down_write(dax_sem)',
      '    R(dax_sem) -> W(truncate_mutex)  [T1] at T1: fault: mutex_lock(truncate_mutex)',
    ]);
    const chain = lines.indexOf('the existing dependency chain (in reverse order) is:');
    expect([lines[chain + 2], lines[chain + 7]]).toEqual(['-> #1 (dax_sem){write}, taken holding (truncate_mutex){write}:', '-> #0 (truncate_mutex){write}, taken holding (dax_sem){read}:']);
    const cpu = lines.indexOf('       CPU0                    CPU1');
    expect(lines.slice(cpu + 2, cpu + 6)).toEqual(['  lock(truncate_mutex);', '                               rlock(dax_sem);', '                               lock(truncate_mutex);', '  lock(dax_sem);']);
  });

  it('dax-sem/v1-order evict-freeze-3t: three edges, each as it was made', async () => {
    const r = await daxmc(['check', 'dax-sem/v1-order', '--config', 'evict-freeze-3t', '--format', 'json']);
    const j = JSON.parse(r.out) as { analyses: { name: string; findings: { summary: string; details: string[] }[] }[] };
    const f = j.analyses.find((a) => a.name === 'lock order')!.findings;
    expect(f.map((x) => x.summary)).toEqual(['lock-order cycle: W(sb_writers[PAGEFAULT]) -> W(sb_writers[FS]), R(sb_writers[FS]) -> W(dax_sem), R(dax_sem) -> R(sb_writers[PAGEFAULT])']);
    expect(f[0].details.map((d) => d.split('  [')[0])).toEqual(['W(sb_writers[PAGEFAULT]) -> W(sb_writers[FS])', 'R(sb_writers[FS]) -> W(dax_sem)', 'R(dax_sem) -> R(sb_writers[PAGEFAULT])']);
  });
});
