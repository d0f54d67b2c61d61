// A lock-order cycle in words, one rule for the analysis's summary and every renderer: each
// arrow is one edge, the lock held on its left and the lock acquired on its right, each with
// the mode of that edge ("W(a) → R(b)"). Where the next edge holds its lock in another mode
// than this edge acquired it, the chain breaks with a comma and names both. Not the lock-order
// analysis itself (src/model/lockdep.ts) nor its drawing (src/render/svg-lock-order.ts).

/** One edge of a chain: the lock held and the lock acquired, each already as `W(name)` or `R(name)`. */
export interface ChainEdge {
  readonly held: string;
  readonly acquired: string;
}

/** "W(a) → W(b), R(b) → W(a)"; "R(a) → W(b) → R(a)" when every edge holds what the one before acquired. */
export function chainText(edges: readonly ChainEdge[], arrow: string): string {
  let text = '';
  edges.forEach((e, i) => {
    if (i > 0 && edges[i - 1].acquired === e.held) text += ` ${arrow} ${e.acquired}`;
    else text += `${i > 0 ? ', ' : ''}${e.held} ${arrow} ${e.acquired}`;
  });
  return text;
}
