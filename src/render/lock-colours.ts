// One colour per lock class, the same in every picture: a fixed table for the classes the DAX
// schemes use (i_mmap_rwsem is always green, the page lock always magenta), and for any other
// class a colour picked by a stable hash of its name from a palette that avoids the reds and
// orange the diagrams keep for problems and waits. Pure functions; no state.
import { stableHash } from './svg-xml';

const KNOWN: Readonly<Record<string, string>> = {
  i_mutex: '#1f6fb4',
  i_rwsem: '#1f6fb4',
  i_mmap_rwsem: '#2a9a3a',
  dax_sem: '#8a55c2',
  truncate_mutex: '#8c564b',
  i_data_sem: '#3b4cc0',
  mmap_sem: '#4a4a4a',
  'sb_writers[WRITE]': '#34495e',
  'sb_writers[PAGEFAULT]': '#138f9c',
  'sb_writers[FS]': '#4f6228',
  'page lock': '#c2459e',
  'entry lock': '#9a7b00',
  XFS_IOLOCK: '#6a3d9a',
  XFS_MMAPLOCK: '#0b7a75',
  XFS_ILOCK: '#7a5230',
};

/** For classes not in the table: distinct from the table's most common colours, red and orange. */
const PALETTE = ['#2f5f98', '#5a8f29', '#7b4fa6', '#a0522d', '#0f7f8a', '#8f8f1a', '#b03a7a', '#4b6584', '#386641', '#6d597a'];

/** The colour of a lock class in every lane diagram, legend and lock-order graph. */
export function lockColour(cls: string): string {
  return KNOWN[cls] ?? PALETTE[stableHash(cls) % PALETTE.length];
}
