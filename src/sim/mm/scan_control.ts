import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { DEF_PRIORITY, SWAP_CLUSTER_MAX } = mm_types

export const DEACTIVATE_ANON = 1
export const DEACTIVATE_FILE = 2

/** struct reclaim_stat */
export interface reclaim_stat {
  nr_dirty: number
  nr_unqueued_dirty: number
  nr_congested: number
  nr_writeback: number
  nr_immediate: number
  nr_pageout: number
  nr_activate: [number, number]
  nr_ref_keep: number
  nr_unmap_fail: number
}

/** struct scan_control */
export interface scan_control {
  nr_to_reclaim: number
  gfp_mask: number
  reclaim_idx: number
  order: number
  priority: number
  may_writepage: boolean
  may_unmap: boolean
  may_swap: boolean
  may_deactivate: number
  force_deactivate: boolean
  skipped_deactivate: boolean
  cache_trim_mode: boolean
  file_is_tiny: boolean
  anon_cost: number
  file_cost: number
  nr_scanned: number
  nr_reclaimed: number
  nr: {
    dirty: number
    unqueued_dirty: number
    congested: number
    writeback: number
    immediate: number
    file_taken: number
    taken: number
  }
}

export function new_scan_control(
  gfp_mask: number,
  reclaim_idx: number,
  nr_to_reclaim: number
): scan_control {
  return {
    nr_to_reclaim: Math.max(nr_to_reclaim, 0) || SWAP_CLUSTER_MAX,
    gfp_mask,
    reclaim_idx,
    order: 0,
    priority: DEF_PRIORITY,
    may_writepage: true,
    may_unmap: true,
    may_swap: true,
    may_deactivate: 0,
    force_deactivate: false,
    skipped_deactivate: false,
    cache_trim_mode: false,
    file_is_tiny: false,
    anon_cost: 0,
    file_cost: 0,
    nr_scanned: 0,
    nr_reclaimed: 0,
    nr: {
      dirty: 0,
      unqueued_dirty: 0,
      congested: 0,
      writeback: 0,
      immediate: 0,
      file_taken: 0,
      taken: 0
    }
  }
}

export function new_reclaim_stat(): reclaim_stat {
  return {
    nr_dirty: 0,
    nr_unqueued_dirty: 0,
    nr_congested: 0,
    nr_writeback: 0,
    nr_immediate: 0,
    nr_pageout: 0,
    nr_activate: [0, 0],
    nr_ref_keep: 0,
    nr_unmap_fail: 0
  }
}
