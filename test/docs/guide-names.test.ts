// docs/writing-a-spec.md is the way in for a new scheme: every function it names is exported from
// 'daxmc' (src/index.ts) or 'daxmc/linux' (src/linux/index.ts), or is a method of what they export
// (the thread context K, World, a DaxWorld), so a reader never has to look in src/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as daxmc from '../../src/index';
import * as linux from '../../src/linux/index';

const GUIDE = readFileSync(join(__dirname, '..', '..', 'docs', 'writing-a-spec.md'), 'utf8');

/** The names the guide calls: `name(`, `a.b(` in code spans and code blocks. */
function calledNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![\w.'"])((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\(/g)) names.add(m[1] as string);
  return [...names];
}

// Receivers the guide uses for methods, and what they are.
const d = linux.daxWorld({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
const layout = daxmc.defineLayout({ x: daxmc.bool });
const RECEIVERS: Record<string, object> = { k: daxmc.K.prototype, w: daxmc.World.prototype, 'd.w': daxmc.World.prototype, d, layout, v: daxmc.StateView.prototype, h: daxmc.History.prototype };
// Words of prose, TypeScript and JavaScript that are followed by '(' without being API names.
const NOT_API = new Set(['if', 'for', 'import', 'return', 'function', 'new', 'async', 'typeof', 'await', 'export', 'const', 'ext2_get_block', 'get_block', 'build', 'apply', 'explain', 'holds', 'lock_page', 'sb_start_pagefault', 'down_read', 'down_write', 'up_read', 'up_write', 'mutex_lock', 'mutex_unlock', 'ext4_journal_start', 'lock', 'unlock', 'write', 'W', 'R', 'f', 'mapsGarbage']);

function resolves(name: string): boolean {
  const parts = name.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const recv = parts.slice(0, n).join('.');
    if (Object.prototype.hasOwnProperty.call(RECEIVERS, recv)) {
      const rest = parts.slice(n);
      let o: unknown = RECEIVERS[recv];
      for (const p of rest) o = o !== null && (typeof o === 'object' || typeof o === 'function') ? (o as Record<string, unknown>)[p] : undefined;
      if (typeof o === 'function') return true;
    }
  }
  for (const root of [daxmc, linux] as Record<string, unknown>[]) {
    let o: unknown = root;
    for (const p of parts) o = o !== null && (typeof o === 'object' || typeof o === 'function') ? (o as Record<string, unknown>)[p] : undefined;
    if (o !== undefined) return true;
  }
  return false;
}

describe('docs/writing-a-spec.md', () => {
  it('names only exported functions (or methods of what is exported)', () => {
    // snake_case names are the kernel's C functions, which the guide quotes.
    const missing = calledNames(GUIDE).filter((n) => !NOT_API.has(n) && !/^[a-z0-9]+(_[a-z0-9]+)+$/.test(n) && !resolves(n));
    expect(missing).toEqual([]);
  });
});
