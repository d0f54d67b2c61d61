// A mutation record (the load-bearing analysis's code change, kept in a mutant trace's ITF
// "#meta".mutant) in words, without the world it was made for: for the header of a replayed
// mutant trace. Not the analysis (src/report/rests-on.ts) nor the mutations (src/model/mutation.ts).
import type { Mutation } from '../core/spec';

/** A mutation record in words, without the world (a replayed mutant trace's header). */
export function mutationWords(m: Mutation): string {
  const f = (k: string): string => (Object.hasOwn(m, k) ? m[k] : '?');
  switch (m.kind) {
    case 'drop-lock':
      return `drop ${f('lock')}(${f('mode')}) in ${f('fn')}`;
    case 'wake':
      return `${f('as') === 'none' ? 'no wake-up' : `wake ${f('as')} instead of ${f('written')}`} at ${f('fn')}: ${f('step')}`;
    case 'drop-check':
      return `drop the ${f('check')} check at ${f('fn')}: ${f('step')}`;
    case 'swap':
      return `swap ${f('first')} and ${f('second')} in ${f('fn')}`;
    default:
      return JSON.stringify(m);
  }
}
