import { FRESH, type ArrayStore } from '../arena'
import type { RwSem } from '../cpu/rwsem'

/** PTRS_PER_PTE (x86-64): the entries of a page table, 2 MiB of 4 KiB pages. */
export const PTRS_PER_PTE = 512

/**
 * A struct address_space (file) or an anonymous mm region: per page index, where the data is.
 * pte[i] >= 0: resident page frame; -1: not present; <= -2: swap entry (slot = -pte - 2).
 */
export class Mapping {
  pte: Int32Array
  /** workingset shadow entries for evicted file pages (0 = none). */
  shadow: Uint32Array | null
  /** Content class per page (anon only). */
  content: Uint8Array | null
  nr_resident = 0
  nr_swap = 0
  alive = true
  /** A PTE was made young since the last MGLRU page-table walk (the mm was used). */
  young = false
  /** Random bytes per page for CONTENT_PARTIAL pages. */
  random_bytes = 0
  /** VM_EXEC file mapping (code). */
  exec = false
  /** File pages are mapped into page tables (mmap) rather than only read(). */
  mapped = false
  /** A process's anonymous memory: its anon_vma's lock, which every rmap walk of it takes. */
  anon_vma: RwSem | null = null
  /** Its process is in exit_mmap() (mm_users 0): folio_referenced() skips its folios. */
  mm_exiting = false
  /**
   * A process's anonymous memory: the frame of the page table of each PTRS_PER_PTE pages, or -1
   * (allocated at the first fault into its range, freed at exit or by a munmap() covering it).
   */
  pt: Int32Array | null = null

  constructor(
    readonly id: number,
    readonly anon: boolean,
    readonly nr_pages: number,
    readonly pid: number,
    readonly home_nid: number,
    private readonly store: ArrayStore = FRESH
  ) {
    this.pte = store.int32(nr_pages, -1)
    this.shadow = anon ? null : store.uint32(nr_pages)
    this.content = anon ? store.uint8(nr_pages) : null
    if (anon && pid >= 0) this.pt = new Int32Array(Math.ceil(nr_pages / PTRS_PER_PTE)).fill(-1)
  }

  /** Hands the per-page arrays back to the run's arena (release_mapping() drops them). */
  release_arrays(): void {
    this.store.recycle(this.pte)
    if (this.shadow) this.store.recycle(this.shadow)
    if (this.content) this.store.recycle(this.content)
  }
}

/** Drops the per-page arrays of an unmapped region (after exit_mmap()). */
export function release_mapping(m: Mapping): void {
  m.alive = false
  m.release_arrays()
  m.pte = new Int32Array(0)
  m.content = m.content ? new Uint8Array(0) : null
  m.shadow = m.shadow ? new Uint32Array(0) : null
}

export function swp_entry(slot: number): number {
  return -slot - 2
}
export function swp_slot(pte: number): number {
  return -pte - 2
}
