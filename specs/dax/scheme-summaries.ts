// Per scheme, the sentence a reviewer cites in a patch discussion: what the scheme did, why it
// was reverted or what fixed its bugs, with the commit ids and the Message-IDs of the mails that
// say so (https://lore.kernel.org/r/<msgid>). `daxmc report --verdicts` prints each above its
// scheme's claims in docs/verdicts.md. Facts only, quoted where the source words matter; what
// the checker itself found is in each claim's note (specs/dax/claims*.ts), not here.

export interface SchemeCommit {
  readonly id: string;
  readonly subject: string;
  /** What the commit is to this scheme: 'introduced it', 'reverted it', 'fixed B12'. */
  readonly role: string;
}

export interface SchemeSummary {
  /** The scheme's name in the claims (Claim.scheme). */
  readonly scheme: string;
  readonly title: string;
  /** The outcome in a word: reverted, or kept and fixed later. */
  readonly outcome: 'reverted' | 'kept, bugs fixed later';
  /** The sentence to cite: what it did, what went wrong, what replaced or fixed it. */
  readonly summary: string;
  readonly commits: readonly SchemeCommit[];
  /** Message-IDs of the mails the summary rests on. */
  readonly sources: readonly string[];
}

export const schemeSummaries: readonly SchemeSummary[] = [
  {
    scheme: 'v4.2',
    title: 'Scheme 1: the v4.2 DAX fault path (i_mmap_rwsem read + hole-page lock)',
    outcome: 'kept, bugs fixed later',
    summary:
      'v4.2 serialises a DAX fault against truncate (i_mmap_rwsem held for read across dax_insert_mapping, the hole page locked, i_size re-checked under either) but does not exclude two faults on the same index: ' +
      'two write faults can each zero the same unwritten block, so "the loser overwrite[s] their store with zeroes" (B1, quoted from 843172978bb9), and a read fault can insert a hole page after a write fault allocated the block (B2). ' +
      'The scheme was not reverted: the attempt to close B1 inside it (843172978bb9, scheme 2) was itself reverted by 0f90cc6609c7, "essentially returning us to the DAX locking scheme that was used in v4.2". ' +
      'Double zeroing went away with zeroed allocation (XFS 1ca191576fc8 and 3fbbbea34bac in v4.4; ext4 ba5843f51d46 and c86d8db33a92 in v4.5), B2 with the entry lock of v4.7 (ac401cc78242), ' +
      'ext4 hole punch vs fault (B3, CVE-2015-8839) with ea3d7209ca01, the lost c/mtime update and write during freeze of a read-then-written pfn PTE (B9) with dd9061846a3b and dax_pfn_mkwrite in v4.1, ' +
      'and the COW unlock mismatch that 0f90cc6609c7 shipped in v4.3 (B12) with 0df9d41ab5d4.',
    commits: [
      { id: 'ce5c5d554dc4', subject: 'dax: expose __dax_fault for filesystems with locking constraints', role: 'the v4.2 PTE path' },
      { id: 'e842f2903908', subject: "dax: don't abuse get_block mapping for endio callbacks", role: 'the v4.2 PTE path' },
      { id: 'dd9061846a3b', subject: 'mm: new pfn_mkwrite same as page_mkwrite for VM_PFNMAP', role: 'fixed B9 (v4.1)' },
      { id: '1ca191576fc8', subject: "xfs: Don't use unwritten extents for DAX", role: 'fixed B1 on XFS (v4.4)' },
      { id: 'ea3d7209ca01', subject: 'ext4: fix races between page faults and hole punching', role: 'fixed B3 on ext4 (v4.5)' },
      { id: '0df9d41ab5d4', subject: 'mm, dax: fix DAX deadlocks (COW fault)', role: 'fixed B12' },
      { id: 'ac401cc78242', subject: 'dax: New fault locking', role: 'fixed B2 (v4.7)' },
    ],
    sources: ['1438718285-21168-7-git-send-email-matthew.r.wilcox@intel.com', '1447675755-5692-1-git-send-email-yigal@plexistor.com', '5512B961.8070409@plexistor.com'],
  },
  {
    scheme: 'i-mmap',
    title: 'Scheme 2: i_mmap_rwsem held for write across get_block (v4.3-rc1 to rc5)',
    outcome: 'reverted',
    summary:
      '843172978bb9 ("dax: fix race between simultaneous faults") made a fault that finds no hole page take i_mmap_rwsem for write outside get_block, so that two write faults on one hole no longer zero it twice, and made unmap_mapping_range skip i_mmap_rwsem for DAX; ' +
      '52a2b53ffde6 paired the COW unlock with it, 46c043ede471 restored the lock in unmap_mapping_range ("DAX is not so special: we need i_mmap_lock to protect mapping->i_mmap") and 8346c416d17b fixed the NULL kaddr that 46c043ede471 introduced in __dax_pmd_fault. ' +
      'All of it was reverted for v4.3 by 0f90cc6609c7 ("mm, dax: fix DAX deadlocks"), "essentially returning us to the DAX locking scheme that was used in v4.2", after Ross Zwisler reported that the PMD code deadlocked "100% of the time" under xfstests generic/074 and generic/198; Dave Chinner\'s Tested-by: "the deadlocks aren\'t present". ' +
      'The revert missed the COW unlock, fixed by 0df9d41ab5d4 ("This should be applied to v4.3 as well").',
    commits: [
      { id: '843172978bb9', subject: 'dax: fix race between simultaneous faults', role: 'introduced it' },
      { id: '52a2b53ffde6', subject: 'mm, dax: use i_mmap_unlock_write() in do_cow_fault()', role: 'COW unlock to match (R6)' },
      { id: '46c043ede471', subject: 'mm: take i_mmap_lock in unmap_mapping_range() for DAX', role: 'lock restored for the i_mmap walk (R8); NULL kaddr (R7)' },
      { id: '8346c416d17b', subject: 'dax: fix NULL pointer in __dax_pmd_fault()', role: 'fixed R7' },
      { id: '0f90cc6609c7', subject: 'mm, dax: fix DAX deadlocks', role: 'reverted it (v4.3)' },
      { id: '0df9d41ab5d4', subject: 'mm, dax: fix DAX deadlocks (COW fault)', role: 'fixed the COW unlock the revert left' },
    ],
    sources: [
      '1438718285-21168-7-git-send-email-matthew.r.wilcox@intel.com',
      '1438948423-128882-1-git-send-email-kirill.shutemov@linux.intel.com',
      '1442950582-10140-1-git-send-email-ross.zwisler@linux.intel.com',
      '20151004052433.GA10753@linux.intel.com',
      '20151012225327.GF27164@dastard',
      '1447675755-5692-1-git-send-email-yigal@plexistor.com',
    ],
  },
  {
    scheme: 'dax-sem',
    title: 'Scheme 3: ext2 dax_sem, fault against truncate (v4.4)',
    outcome: 'kept, bugs fixed later',
    summary:
      '5726b27b09cc ("ext2: Add locking for DAX faults", v4.4) adds dax_sem, which "is intended to replicate the protection offered by i_mmaplock in XFS": faults and pfn_mkwrite take it for read, truncate for write, so a fault cannot map a block truncate frees; ' +
      'ext2 "already allocates and zeros new blocks before they are returned as part of ext2_get_block()". ' +
      'It was not reverted. Because faults share dax_sem, a read fault and a write fault on one index still race as in v4.2 (S1 = B2), which only the entry lock of v4.7 (ac401cc78242) closed; ' +
      'it does nothing for PTEs made writable before a freeze (S3 = B8), and the COW unlock mismatch it inherited from v4.3 (S4 = B12) was fixed by 0df9d41ab5d4 in the same cycle.',
    commits: [
      { id: '5726b27b09cc', subject: 'ext2: Add locking for DAX faults', role: 'introduced it (v4.4)' },
      { id: '0df9d41ab5d4', subject: 'mm, dax: fix DAX deadlocks (COW fault)', role: 'fixed S4 (B12)' },
      { id: 'ac401cc78242', subject: 'dax: New fault locking', role: 'fixed S1 (v4.7)' },
    ],
    sources: ['1447675755-5692-1-git-send-email-yigal@plexistor.com'],
  },
  {
    scheme: 'entry-lock',
    title: "Scheme 4: Jan Kara's radix-tree entry lock (v4.7)",
    outcome: 'kept, bugs fixed later',
    summary:
      'ac401cc78242 ("dax: New fault locking", with bc2466e42573 and 4d9a2c874667, v4.7) uses "a bit in an exceptional radix tree entry as a lock bit and use[s] it similarly to how page lock is used for normal faults. This fixes races between hole instantiation and read faults of the same index" (B2); ' +
      'DAX PMD faults were disabled (FS_DAX_PMD depends on BROKEN), since a PMD and a PTE fault lock different entries and still race (E2 = B7). ' +
      'It was not reverted. Its lost wake-up, where a hole page replacing a locked empty entry wakes one waiter that never passes the wake-up on, so a third fault sleeps for ever (E1, "This issue exists as far back as v4.7"), was fixed by 965d004af540 ("dax: fix deadlock with DAX 4k holes", v4.10-rc, for stable 4.7+), which wakes every waiter.',
    commits: [
      { id: 'ac401cc78242', subject: 'dax: New fault locking', role: 'introduced it (v4.7)' },
      { id: 'bc2466e42573', subject: 'dax: Use radix tree entry lock to protect cow faults', role: 'COW under the entry lock' },
      { id: '4d9a2c874667', subject: 'dax: Remove i_mmap_lock protection', role: 'i_mmap_rwsem no longer taken by faults' },
      { id: '965d004af540', subject: 'dax: fix deadlock with DAX 4k holes', role: 'fixed E1' },
    ],
    sources: ['1461015341-20153-1-git-send-email-jack@suse.cz', '20160511192632.GA8841@linux.intel.com', '20170104071804.GF3780@quack2.suse.cz'],
  },
  {
    scheme: 'xfs',
    title: 'XFS: faults under the MMAPLOCK (v4.1 on), zeroing allocation in v4.4',
    outcome: 'kept, bugs fixed later',
    summary:
      'XFS took its own lock against truncate and extent changes: "the lock ordering in a page fault is i_mmaplock -> page lock -> i_ilock, and so in truncate we can i_iolock -> i_mmaplock and so lock out new write faults" (653c60b633a9; truncate, punch and fallocate take both exclusive, e8e9ad42c1f1), so a hole punch never races a fault on XFS. ' +
      'Faults share the lock, so two write faults on one hole could still both zero its unwritten extent (B1) until v4.4 allocated blocks already zeroed inside the transaction: "DAX has a page fault serialisation problem with block allocation" (1ca191576fc8, with 3fbbbea34bac). ' +
      'A read fault racing a write fault on one hole (B2) needed the entry lock of v4.7, and XFS had no ->pfn_mkwrite until v4.4, so a read-then-written pfn PTE skipped c/mtime and freeze protection before that.',
    commits: [
      { id: '653c60b633a9', subject: 'xfs: introduce mmap/truncate lock', role: 'the MMAPLOCK' },
      { id: 'e8e9ad42c1f1', subject: 'xfs: take i_mmap_lock on extent manipulation operations', role: 'truncate and punch exclusive' },
      { id: '3fbbbea34bac', subject: 'xfs: introduce BMAPI_ZERO for allocating zeroed extents', role: 'zeroing allocation' },
      { id: '1ca191576fc8', subject: "xfs: Don't use unwritten extents for DAX", role: 'fixed B1 (v4.4)' },
    ],
    sources: [],
  },
  {
    scheme: 'ext4',
    title: 'ext4: no fault exclusion in v4.2; i_mmap_sem, the handle first and pre-zeroed blocks in v4.5',
    outcome: 'kept, bugs fixed later',
    summary:
      'ext4 in v4.2 took no lock of its own in a DAX fault: a hole punch could free a block between a fault\'s get_block and its PTE insert (B3, CVE-2015-8839), fixed by ea3d7209ca01 ("ext4: fix races between page faults and hole punching", v4.5), which adds i_mmap_sem because i_data_sem "ranks below transaction start". ' +
      'A write fault over a hole page started its jbd2 handle in get_block under the page lock, "a lock inversion between the page lock and the journal lock" (B10), fixed by 01a33b4ace68 ("ext4: start transaction before calling into DAX", v4.3) for ->fault and by 1e9d180ba39f (v4.5) for ->page_mkwrite. ' +
      'Double zeroing went away with pre-zeroed allocation (ba5843f51d46, c86d8db33a92, v4.5); the documented order is e74031fd7ed0.',
    commits: [
      { id: '01a33b4ace68', subject: 'ext4: start transaction before calling into DAX', role: 'fixed B10 for ->fault (v4.3)' },
      { id: 'ea3d7209ca01', subject: 'ext4: fix races between page faults and hole punching', role: 'fixed B3 (v4.5)' },
      { id: '1e9d180ba39f', subject: 'ext2, ext4: fix issue with missing journal entry in ext4_dax_mkwrite()', role: 'fixed B10 for ->page_mkwrite (v4.5)' },
      { id: 'c86d8db33a92', subject: 'ext4: implement allocation of pre-zeroed blocks', role: 'fixed B1 (v4.5)' },
      { id: 'ba5843f51d46', subject: 'ext4: use pre-zeroed blocks for DAX page faults', role: 'fixed B1 (v4.5)' },
      { id: 'e74031fd7ed0', subject: 'ext4: document lock ordering', role: 'the documented order' },
    ],
    sources: ['1438718285-21168-6-git-send-email-matthew.r.wilcox@intel.com'],
  },
];

/** The summary of a scheme, if there is one (schemes added later may not have one yet). */
export function schemeSummary(scheme: string): SchemeSummary | undefined {
  return schemeSummaries.find((s) => s.scheme === scheme);
}
