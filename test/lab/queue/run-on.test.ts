import { describe, expect, it } from 'vitest'
import type { PoolListener } from '../../../src/lab/pool/sim-pool'
import { workerFactory } from '../../../src/lab/pool/worker-factory'
import { RunOnExecutor } from '../../../src/lab/queue/run-on'
import { SIMULATOR_VERSION } from '../../../src/sim'
import { WORKER_ENTRY } from '../../helpers/lab'

const silent: PoolListener = {
  started() {},
  progress() {},
  samples() {},
  done() {},
  failed() {},
  cancelled() {}
}

describe('RunOnExecutor.warm()', () => {
  it('warms the local workers when runs go to this computer', async () => {
    let made = 0
    const ts = workerFactory(WORKER_ENTRY)
    const executor = new RunOnExecutor(
      {
        workers: 2,
        createWorker: () => (made++, ts()),
        simulatorVersion: SIMULATOR_VERSION,
        runOn: { kind: 'local' }
      },
      silent
    )
    try {
      await executor.warm()
      expect(made).toBe(2)
      expect([executor.running, executor.queued]).toEqual([0, 0])
    } finally {
      await executor.close()
    }
  })
})
