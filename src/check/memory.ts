// The memory limits of a run, checked between slices of the search: the resident-memory limit
// a user sets (--memory), and V8's own heap limit, which a run must never reach (V8 then aborts
// the whole process with "JavaScript heap out of memory", figures and all): the search stops as
// incomplete when the heap outside the young generation is 85% full (with at least 16 MiB to
// spare) instead. Also the failed ArrayBuffer allocation of a machine out of memory, as the same
// limit; and a spill file the disk refuses, as a disk limit. The seen table and frontier live in
// typed arrays, outside the heap; what fills the heap is what specs keep per state.
import { getHeapStatistics } from 'node:v8';

/** The share of the old generation's room at which a run stops, by default. */
export const HEAP_FRACTION = 0.85;
/**
 * V8's heap_size_limit includes the young generation's reservation (three semispaces of 16 MiB
 * on 64-bit Node 20), which the old generation, where a growing heap runs out, never gets:
 * `node --max-old-space-size=64` reports a limit of 112 MiB and dies near 60 MiB used.
 */
const YOUNG_RESERVE = 48 * 2 ** 20;
/** The least room a run leaves unused on the heap. */
const HEAP_SPARE = 16 * 2 ** 20;

/** The heap a run may fill: heap_size_limit without the young generation's reservation. */
export function heapRoom(heapSizeLimit: number): number {
  return heapSizeLimit > 2 * YOUNG_RESERVE ? heapSizeLimit - YOUNG_RESERVE : heapSizeLimit / 2;
}

export interface MemoryLimit {
  readonly kind: 'memory';
  readonly detail: string;
}

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

/**
 * The limit the process has reached, if any: resident memory past `maxRssBytes` (Infinity: no
 * limit), or a V8 heap used past `heapFraction` of its room (heapRoom).
 */
export function memoryLimitReached(maxRssBytes: number, heapFraction = HEAP_FRACTION): MemoryLimit | undefined {
  if (maxRssBytes !== Infinity) {
    const rss = process.memoryUsage.rss();
    if (rss > maxRssBytes) return { kind: 'memory', detail: `reached the memory limit of ${mib(maxRssBytes)} MiB (resident memory ${mib(rss)} MiB)` };
  }
  const heap = getHeapStatistics();
  const room = heapRoom(heap.heap_size_limit);
  // At least 16 MiB to spare: the heap can grow by a young generation's worth between checks.
  if (heap.used_heap_size > Math.min(heapFraction * room, room - HEAP_SPARE)) {
    const full = Math.floor((100 * heap.used_heap_size) / room);
    return {
      kind: 'memory',
      detail: `the JavaScript heap is ${full}% full (${mib(heap.used_heap_size)} of ${mib(room)} MiB; node --max-old-space-size raises the limit)`,
    };
  }
  return undefined;
}

/** Why a write to disk failed, for the errors that mean "no room" rather than a bug. */
const NO_ROOM: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file size limit of the process is reached (ulimit -f)',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error',
};

export interface DiskLimit {
  readonly kind: 'disk';
  readonly detail: string;
}

/** A spill file the disk refused (full, a quota, a size limit), as a limit; undefined for other errors. */
export function diskFailure(e: unknown): DiskLimit | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !Object.hasOwn(NO_ROOM, code)) return undefined;
  return { kind: 'disk', detail: `the disk refused the seen table's spill file: ${NO_ROOM[code]}` };
}

/** A failed allocation of a typed array's memory (the machine is out of memory), as a limit. */
export function allocationFailure(e: unknown): MemoryLimit | undefined {
  if (e instanceof RangeError && /allocation failed/i.test(e.message)) return { kind: 'memory', detail: `out of memory (${e.message})` };
  return undefined;
}
