// `daxmc list`: the built-in spec ids with their titles, and each configuration with its
// description (the default marked). Pure text; the command writes it through the IO.
import type { SpecDefinition } from '../core/spec';

export function renderList(specs: readonly SpecDefinition[]): string {
  const blocks = specs.map((def) => {
    const names = Object.keys(def.configs);
    const label = (n: string): string => (n === def.defaultConfig ? `${n} (default)` : n);
    const width = Math.max(...names.map((n) => label(n).length));
    const lines = [`${def.id}  ${def.title ?? ''}`.trimEnd()];
    for (const n of names) lines.push(`  ${label(n).padEnd(width)}  ${def.configs[n].description ?? ''}`.trimEnd());
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
