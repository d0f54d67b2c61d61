// A claim: what the published account says a scheme does at one configuration, stated so the checker
// can settle it: the spec id and configuration, the property (or `deadlock`), whether a
// counterexample is expected (found) or the property is expected to hold over the whole bounded
// state space, and the pinned figures. The claims of every scheme are data (specs/dax/claims*.ts);
// `daxmc report` runs them all and flags every result that differs.

export type Grade = 'S' | 'D' | 'U';

export interface Claim {
  /** Unique, stable id: 'v4.2/B1'. */
  readonly id: string;
  /**
   * The group the claim belongs to in the report's table and `--scheme`: a built-in scheme's page
   * under docs/schemes (v4.2, i-mmap, dax-sem, entry-lock, xfs, ext4), or any name of your own.
   */
  readonly scheme: string;
  /** What it checks, in your own reference: a bug of the published account ('B1', 'R4', 'C.1-1'), a mail thread, a review comment. */
  readonly item: string;
  /** The item's source grade: S primary source, D derived from code, U unconfirmed. */
  readonly grade: Grade;
  readonly spec: string;
  readonly config: string;
  /**
   * A property name of the spec, 'deadlock', or 'lock order' (LOCK_ORDER): the lock-order view
   * over the whole state space, found when it has a cycle (or an acquisition against a lock
   * order the spec documents), holds when it has none.
   */
  readonly property: string;
  readonly expect: 'found' | 'holds';
  /** Pinned: the distinct states of the check (a changed count is a review signal). */
  readonly distinct: number;
  /** Pinned, for `found`: the counterexample's length in transitions. */
  readonly length?: number;
  /** Pinned, for deadlocks: the diagnosis kind ('deadlock', 'self-deadlock', 'lost wake-up'). */
  readonly diagnosis?: string;
  /**
   * For a `found` 'lock order' claim: the lock classes of the cycle it pins, in cycle order
   * from any class (['jbd2_handle', 'page lock']); or, with `inversion`, the acquisition against
   * a documented order it pins ([held, acquired]).
   */
  readonly cycle?: readonly string[];
  readonly inversion?: readonly [string, string];
  /** For `found`: a configuration with one thread fewer where the same check does not find it. */
  readonly smaller?: string;
  /** What the checker says against what was expected (the published account, the review): agrees, or how and why it differs. */
  readonly note: string;
  /**
   * Takes more than a few seconds (hundreds of thousands of states or more): settled by
   * `daxmc report` (docs/verdicts.md), not by the CI test suite, which keeps under 10 minutes.
   */
  readonly slow?: boolean;
  /** Takes minutes: `daxmc report` runs it only with --full (the pinned figures say what it gave). */
  readonly heavy?: boolean;
  /**
   * For a `holds` claim: the mechanisms it is about, by lock class ('dax_sem'), function
   * ('put_locked_mapping_entry') or kind ('i_size check', 'wake-up', 'freeze level'). The
   * load-bearing analysis (`daxmc why`, the report's "rests on") flags the claim when none of
   * them is load-bearing at its configuration: then the verdict says nothing about them.
   */
  readonly about?: readonly string[];
  /**
   * For a `found` claim: the scheme's own fixed variant, which must hold for the same property
   * (the report checks it and says so when it does not). A spec id: that spec at the claim's
   * configuration; or `{ spec?, config }`: a configuration of that spec (of the claim's own spec
   * when `spec` is left out), e.g. a configuration whose parameters turn the fix on.
   */
  readonly fix?: string | FixRef;
}

/** Claim.fix as a place: a configuration of a spec (the claim's own when `spec` is absent). */
export interface FixRef {
  readonly spec?: string;
  readonly config: string;
}

/** Where a claim's fix is checked: its spec id and configuration, or undefined without a fix. */
export function fixPlace(claim: Claim): { readonly spec: string; readonly config: string } | undefined {
  if (claim.fix === undefined) return undefined;
  if (typeof claim.fix === 'string') return { spec: claim.fix, config: claim.config };
  return { spec: claim.fix.spec ?? claim.spec, config: claim.fix.config };
}

/** The pseudo-property of a claim about the lock-order view (see Claim.property). */
export const LOCK_ORDER = 'lock order';
