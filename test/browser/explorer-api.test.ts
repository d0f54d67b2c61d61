// The explorer's HTTP API without a browser: /.status, /.states/<path> with the enabled actions
// grouped by thread, errors for paths that do not fit, the lane diagram of a path with its
// problem, POST /.check, a port in use, and `daxmc explore` option errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorer, type Explorer, type StatusView } from '../../src/explore/server';
import type { StateView } from '../../src/explore/model';
import { builtinSpecs } from '../../specs/index';
import { daxmc } from '../cli/helpers';
import { parseXml, byClass } from '../render/svg-wellformed';

const v42pmd = builtinSpecs.find((d) => d.id === 'v4.2/pmd')!;

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as T };
}

describe('explorer API (v4.2/pmd b4-zero-then-write)', () => {
  let ex: Explorer;
  beforeAll(async () => {
    ex = await startExplorer({ definition: v42pmd, config: 'b4-zero-then-write', port: 0 });
    await ex.runCheck();
  });
  afterAll(async () => {
    await ex?.close();
  });

  it('listens on 127.0.0.1 at the port it picked', () => {
    expect(ex.url).toBe(`http://127.0.0.1:${ex.port}/`);
    expect(ex.port).toBeGreaterThan(0);
  });

  it('/.status: the spec, and the background check with its discoveries', async () => {
    const { status, body } = await get<StatusView>(`${ex.url}.status`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ spec: 'v4.2/pmd', config: 'b4-zero-then-write', initialStates: 1 });
    expect(body.check.state).toBe('done');
    expect(body.check.verdict).toBe('fail');
    const deadlock = body.check.discoveries.find((d) => d.kind === 'deadlock');
    expect(deadlock?.length).toBe(22);
    expect(body.check.lockOrder).toEqual(['lock-order cycle: R(i_mmap_rwsem) -> W(i_mmap_rwsem)']);
  });

  it('/.states/0: the initial state and the enabled actions grouped by thread', async () => {
    const { status, body } = await get<StateView>(`${ex.url}.states/0`);
    expect(status).toBe(200);
    expect(body.path).toBe('0');
    expect(body.depth).toBe(0);
    expect(body.label).toBeNull();
    expect(body.status).toBe('running');
    expect(body.actors.map((a) => [a.actor, a.enabled.map((s) => `${s.name} -> ${s.path}`)])).toEqual([['T1', ['pmd load, then pmd store > pmd load: access -> 0/0']]]);
    expect(body.vars.find((v) => v.name === 'i_size')).toEqual({ name: 'i_size', text: '2', value: 2, changed: false });
  });

  it('/.states/<path>: the state after the path, changed variables and changed fields marked', async () => {
    const status0 = (await get<StatusView>(`${ex.url}.status`)).body;
    const deadlock = status0.check.discoveries.find((d) => d.kind === 'deadlock')!;
    const prefix = deadlock.path.split('/').slice(0, 7).join('/'); // after i_mmap_lock_read (step 6)
    const { body } = await get<StateView>(`${ex.url}.states/${prefix}`);
    expect(body.depth).toBe(6);
    expect(body.label?.name).toBe('pmd load, then pmd store > pmd load > ext4_dax_pmd_fault > __dax_pmd_fault: i_mmap_lock_read');
    expect(body.notes).toEqual([{ kind: 'acquire', text: 'i_mmap_rwsem (read)', data: { lock: 'i_mmap_rwsem', mode: 'read' } }]);
    const readers = body.vars.find((v) => v.name === 'lockReaders')!;
    expect(readers.changed).toBe(true);
    expect(readers.fields?.filter((f) => f.changed).map((f) => f.text)).toEqual(['i_mmap_rwsem |-> 1']);
    expect(body.before.lockReaders).toContain('i_mmap_rwsem |-> 0');
    expect(body.steps.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.steps[5].path).toBe(prefix);

    // The same state in kernel words: the thread's place and holds, changed facts with the old text.
    expect(body.words?.groups.filter((g) => g.thread).map((g) => [g.name, g.about])).toEqual([['T1', 'process P1, index 0, runs pmd load, then pmd store']]);
    expect(body.words?.fields.filter((f) => f.changed).map((f) => [f.label, f.text, f.before])).toEqual([
      ['T1', 'at __dax_pmd_fault: check_extent', 'at __dax_pmd_fault: i_mmap_lock_read'],
      ['T1 holds', 'i_mmap_rwsem (read)', 'nothing'],
    ]);
    expect(body.explanations).toEqual([]);
    expect(body.actors[0].enabled.map((e) => e.changes)).toEqual([['T1']]);

    const end = (await get<StateView>(`${ex.url}.states/${deadlock.path}`)).body;
    expect(end.status).toBe('deadlock');
    expect(end.diagnosis?.kind).toBe('self-deadlock');
    expect(end.actors.map((a) => a.enabled.length)).toEqual([0]);
  });

  it('/.svg/<path>: the lane diagram of the path, with what its last state shows', async () => {
    const deadlock = (await get<StatusView>(`${ex.url}.status`)).body.check.discoveries.find((d) => d.kind === 'deadlock')!;
    const r = await fetch(`${ex.url}.svg/${deadlock.path}`);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const root = parseXml(await r.text());
    expect(byClass(root, 'arrow', 'cycle').map((a) => a.attrs['data-from'])).toEqual(['T1']);
  });

  it('answers a path that does not fit with 400 and says why; other addresses with 404', async () => {
    expect(await get(`${ex.url}.states/0/5`)).toEqual({ status: 400, body: { error: expect.stringMatching(/^step 1: .* is not enabled in state 0/) } });
    expect(await get(`${ex.url}.states/x`)).toEqual({ status: 400, body: { error: "'x' is not an action path (expected numbers separated by '/', e.g. 0/2/1)" } });
    expect(await get(`${ex.url}.states/3`)).toEqual({ status: 400, body: { error: 'initial state 3 does not exist (the spec has 1)' } });
    expect((await get(`${ex.url}.nothing`)).status).toBe(404);
    expect((await fetch(`${ex.url}.states/0`, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves the page', async () => {
    const r = await fetch(ex.url);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await r.text();
    expect(text).toContain('<title>daxmc explore v4.2/pmd b4-zero-then-write</title>');
    expect(text).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });
});

describe('explorer without the background check', () => {
  it('runs the check on request (POST /.check)', async () => {
    const ex = await startExplorer({ definition: v42pmd, config: 'b4-zero-then-write', port: 0, check: false });
    try {
      expect(ex.status().check.state).toBe('off');
      const r = await fetch(`${ex.url}.check`, { method: 'POST' });
      expect(r.status).toBe(202);
      await ex.runCheck();
      expect(ex.status().check.state).toBe('done');
    } finally {
      await ex.close();
    }
  });

  it('a port in use is a usage error naming it', async () => {
    const ex = await startExplorer({ definition: v42pmd, config: 'b4-zero-then-write', port: 0, check: false });
    try {
      await expect(startExplorer({ definition: v42pmd, config: 'b4-zero-then-write', port: ex.port, check: false })).rejects.toThrow(`port ${ex.port} on 127.0.0.1 is in use (--port 0 picks a free one)`);
    } finally {
      await ex.close();
    }
  });
});

describe('daxmc explore', () => {
  it('stops at once when the signal has already fired, and exits 0', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await daxmc(['explore', 'v4.2/pmd', '--config', 'b4-zero-then-write', '--port', '0', '--no-check'], { signal: controller.signal });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^daxmc explore: v4\.2\/pmd, configuration b4-zero-then-write, at http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(r.err).toBe('Press Ctrl-C to stop.\ndaxmc explore: stopped\n');
  });

  it('rejects a bad port and an unknown configuration as usage errors', async () => {
    const bad = await daxmc(['explore', 'v4.2/pmd', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('expected a port number from 0 to 65535');
    const cfg = await daxmc(['explore', 'v4.2/pmd', '--config', 'moon', '--port', '0']);
    expect(cfg.code).toBe(2);
    expect(cfg.err).toMatch(/^daxmc: spec v4\.2\/pmd has no configuration 'moon'/);
  });
});
