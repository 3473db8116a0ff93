import { describe, expect, it } from 'vitest'
import { BatchWatch, batchDoneText } from '../../../src/renderer/src/stores/batch-watch'

describe('batch completion', () => {
  it('reports a batch once, when its last run ends, with counts by status', () => {
    const watch = new BatchWatch()
    watch.track(4, [10, 11, 12])
    expect(watch.settle(10, 'running')).toBeNull()
    expect(watch.settle(10, 'done')).toBeNull()
    // The same end seen again (event, then a reloaded list) counts once.
    expect(watch.settle(10, 'done')).toBeNull()
    expect(watch.settle(11, 'failed')).toBeNull()
    const outcome = watch.settle(12, 'done')
    expect(outcome).toEqual({
      experimentId: 4,
      runIds: [10, 11, 12],
      counts: { done: 2, failed: 1, cancelled: 0, interrupted: 0 }
    })
    expect(watch.settle(12, 'done')).toBeNull()
    expect(batchDoneText(outcome!)).toBe('Batch done: 3 runs, 1 failed')
  })

  it('ignores runs it was not asked to follow', () => {
    const watch = new BatchWatch()
    watch.track(1, [1])
    expect(watch.settle(2, 'done')).toBeNull()
    expect(batchDoneText(watch.settle(1, 'done')!)).toBe('Run #1 done')
  })

  it('names every kind of unfinished run that ended the batch', () => {
    const counts = { done: 17, failed: 1, cancelled: 2, interrupted: 0 }
    const runIds = Array.from({ length: 20 }, (_, i) => i + 1)
    expect(batchDoneText({ experimentId: 1, runIds, counts })).toBe(
      'Batch done: 20 runs, 1 failed, 2 cancelled'
    )
    expect(
      batchDoneText({
        experimentId: 1,
        runIds: [7],
        counts: { done: 0, failed: 1, cancelled: 0, interrupted: 0 }
      })
    ).toBe('Run #7 failed')
  })
})
