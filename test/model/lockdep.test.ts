// The lock-order graph's examples: the first (state id, action) that made each edge, and in a
// parallel search's worker (which expands states out of id order) the least one.
import { describe, expect, it } from 'vitest';
import { Lockdep } from '../../src/model/lockdep';

/** Thread t holds `held` (write) while acquiring `cls` (write), expanding `stateId` by `action`. */
function take(l: Lockdep, stateId: number, action: number, t: number, held: number, cls: number): void {
  l.stateId = stateId;
  l.action = action;
  l.acquire(t, cls, true, [held], [1], 1);
}

const brief = (l: Lockdep, edges = l.edges): string[] => edges.map((e) => `${l.classNames[e.from]}>${l.classNames[e.to]}@${e.stateId}.${e.action}:T${e.thread}`);

describe('Lockdep examples', () => {
  it('keeps the first example of each edge', () => {
    const l = new Lockdep(['A', 'B', 'C']);
    take(l, 50, 3, 1, 0, 1);
    take(l, 60, 0, 1, 1, 2);
    take(l, 10, 2, 0, 0, 1);
    expect(brief(l)).toEqual(['A>B@50.3:T1', 'B>C@60.0:T1']);
  });

  it('with least, keeps the least (state id, action), and a step\'s edges in the order it made them', () => {
    const l = new Lockdep(['A', 'B', 'C']);
    l.least = true;
    take(l, 50, 3, 1, 0, 1); // A>B
    take(l, 60, 0, 1, 1, 2); // B>C
    // State 10 (a lower chunk) makes B>C, then A>B, in one step.
    take(l, 10, 2, 0, 1, 2);
    take(l, 10, 2, 0, 0, 1);
    take(l, 10, 4, 0, 0, 1); // a later action of the same state: not less
    take(l, 10, 1, 1, 0, 1); // an earlier action: less
    expect(brief(l)).toEqual(['A>B@10.1:T1', 'B>C@10.2:T0']);
    // In the order made: B>C (10.2) was made before the A>B that is kept now (10.1).
    expect(brief(l, l.inOrderMade())).toEqual(['B>C@10.2:T0', 'A>B@10.1:T1']);
  });
});
