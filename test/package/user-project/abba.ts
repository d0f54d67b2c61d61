// A user's spec file, as the package tests install it into an empty project: two threads take
// two mutexes in opposite orders (the example of docs/writing-a-spec.md), with its claims.
// It imports only from the installed package, and type-checks against its declarations.
import { P, World, compile, fn, step, type Claim, type Mutex, type SpecDefinition } from 'daxmc';

const abba: SpecDefinition = {
  id: 'abba',
  title: 'ABBA between two mutexes',
  description: 'T1 takes A then B; T2 takes B then A.',
  configs: { two: { description: 'two threads', params: {} } },
  defaultConfig: 'two',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const A = w.mutex('A');
    const B = w.mutex('B');
    const take = (x: Mutex, y: Mutex, name: string) =>
      fn(name, [
        step(`mutex_lock(${x.name})`, (k) => k.lock(x)),
        step(`mutex_lock(${y.name})`, (k) => k.lock(y)),
        step(`mutex_unlock(${y.name})`, (k) => k.unlock(y)),
        step(`mutex_unlock(${x.name})`, (k) => k.unlock(x)),
      ]);
    w.thread('T1', { process: 'P1', path: take(A, B, 'ab') });
    w.thread('T2', { process: 'P1', path: take(B, A, 'ba') });
    return compile(w, 'abba', [P.noLockMisuse, P.completes(0), P.completes(1)]).spec;
  },
};
export default abba;

export const claims: Claim[] = [
  {
    id: 'abba/deadlock',
    scheme: 'abba',
    item: 'AB-BA',
    grade: 'D',
    spec: 'abba',
    config: 'two',
    property: 'deadlock',
    expect: 'found',
    distinct: 7,
    length: 2,
    diagnosis: 'deadlock',
    note: 'each thread holds the lock the other waits for',
  },
  {
    id: 'abba/no-misuse',
    scheme: 'abba',
    item: 'unlock',
    grade: 'D',
    spec: 'abba',
    config: 'two',
    property: 'no lock misuse',
    expect: 'holds',
    distinct: 19,
    note: 'every unlock releases a lock its thread holds',
  },
];
