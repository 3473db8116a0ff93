import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { KernelRunInput, KernelRunOutcome } from '../../../src/lab/kernel-run/kernel-run'
import { kernelObserved } from '../../../src/lab/kernel-run/kernel-result'
import { splitSamples } from '../../../src/lab/kernel-run/sample-stream'
import { openLab, type Lab } from '../../../src/lab/lab'
import { resolvePreset } from '../../../src/sim/scenario/presets'
import type { Handlers } from '../../../src/shared/contract'
import type { KernelRunInfo } from '../../../src/shared/kernel-run'
import { LabError } from '../../../src/shared/errors'
import { WORKER_ENTRY } from '../../helpers/lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

function stream(points: Array<[number, number]>): string {
  return (
    points
      .map(([t, n]) =>
        [
          `@vmstat ${t}`,
          `pgsteal_anon ${n}`,
          `pswpout ${n}`,
          `allocstall_movable ${n / 10}`,
          `@pressure ${t}`,
          `some avg10=2.00 avg60=1.00 avg300=0.10 total=${n * 10}`,
          `full avg10=1.00 avg60=0.50 avg300=0.05 total=${n * 5}`,
          `@zoneinfo ${t}`,
          'DMA32 5000 400 500 600 60000',
          `@zram ${t}`,
          `${n * 4096} ${n * 1300} ${n * 1400} 0 ${n * 1400} 0 0 0`
        ].join('\n')
      )
      .join('\n') + '\n@end\n'
  )
}

const INFO = { release: '6.1.0-57-amd64', accel: 'tcg', image_sha256: 'ab' } as KernelRunInfo

const doneRun = async (input: KernelRunInput): Promise<KernelRunOutcome> => {
  input.onProgress(0.5, 1)
  const { samples } = splitSamples(
    stream([
      [2, 0],
      [3, 1000],
      [4, 3000]
    ])
  )
  return {
    ok: true,
    observed: kernelObserved(samples, INFO, ['a note']),
    console: 'RL done\n',
    wallMs: 1500
  }
}

describe('KernelRunService through the contract', () => {
  const tempDir = useTempDir()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  function open(run: (input: KernelRunInput) => Promise<KernelRunOutcome>): Handlers {
    const dir = tempDir()
    const boot = join(dir, 'boot')
    mkdirSync(boot)
    const image = Buffer.alloc(0x400)
    image.write('HdrS', 0x202, 'latin1')
    image.writeUInt16LE(0x100, 0x20e)
    image.write('6.1.0-57-amd64 (debian) #1\0', 0x300, 'latin1')
    writeFileSync(join(boot, 'vmlinuz-6.1.0-57-amd64'), image)
    lab = openLab({
      databasePath: ':memory:',
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1,
      cacheDir: join(dir, 'cache'),
      accel: 'tcg',
      kernelHost: {
        findTools: () => ({ qemu: '/q', busybox: '/b', gcc: '/g' }),
        boot,
        modulesRoot: join(dir, 'modules'),
        run
      }
    })
    return lab.handlers
  }

  async function experimentWith(h: Handlers, preset: string): Promise<number> {
    const { id } = await h['experiment:create']({
      title: 'real',
      hypothesis: '',
      notes: '',
      tags: []
    })
    await h['experiment:setScenario']({ id, preset, scenario: resolvePreset(preset) })
    return id
  }

  async function settled(h: Handlers, experimentId: number) {
    for (let i = 0; i < 200; i++) {
      const runs = await h['run:list']({ experimentId })
      if (runs.every((r) => r.status !== 'queued' && r.status !== 'running')) return runs
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error('runs did not end')
  }

  it('stores each run as an observed run with the kernel, metrics, series and console', async () => {
    const h = open(doneRun)
    const id = await experimentWith(h, 'twin-eater-512m')
    const started = await h['kernel:start']({
      experimentId: id,
      image: { kind: 'debian' },
      label: '6.1 debian',
      runs: 2
    })
    expect(started.runIds).toHaveLength(2)
    const runs = await settled(h, id)
    expect(runs.map((r) => [r.status, r.source, r.label, r.variant])).toEqual([
      ['done', 'observed', '6.1 debian', 'kernel'],
      ['done', 'observed', '6.1 debian', 'kernel']
    ])
    expect(runs[0].metrics).toMatchObject({ allocstall: 300, alloc_p99_us: null })
    const detail = await h['run:get']({ id: runs[0].id })
    expect(detail.scenario).toMatchObject({ name: 'twin-eater-512m' })
    expect(detail.result).toMatchObject({
      observed: true,
      kernel: { release: '6.1.0-57-amd64', accel: 'tcg' },
      watermarks: { min: 400, low: 500, high: 600 },
      zram: { orig_data_size: 3000 * 4096 },
      warnings: ['a note']
    })
    const series = await h['run:series']({ id: runs[0].id })
    expect(series.t_s).toEqual([1, 2])
    expect(series.series.zram_orig_pages).toEqual([1000, 3000])
    expect(await h['run:log']({ id: runs[0].id })).toEqual({ runId: runs[0].id, text: 'RL done\n' })
  })

  it('keeps a failed run with its error and console, and nothing else', async () => {
    const h = open(async () => ({
      ok: false,
      cancelled: false,
      error: 'The kernel panicked: Kernel panic - not syncing: VFS',
      console: '[ 1.0] Kernel panic - not syncing: VFS\n',
      wallMs: 900
    }))
    const id = await experimentWith(h, 'twin-eater-512m')
    await h['kernel:start']({ experimentId: id, image: { kind: 'debian' }, label: 'k', runs: 1 })
    const [run] = await settled(h, id)
    expect(run).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/panicked/) as string
    })
    expect((await h['run:get']({ id: run.id })).result).toBeNull()
    expect((await h['run:series']({ id: run.id })).t_s).toEqual([])
    expect((await h['run:log']({ id: run.id })).text).toMatch(/Kernel panic/)
  })

  it('cancels queued runs and the running one', async () => {
    let release: () => void = () => {}
    const h = open(
      (input) =>
        new Promise((done) => {
          release = () =>
            done({ ok: false, cancelled: true, error: 'Cancelled.', console: '', wallMs: 1 })
          if (input.signal.aborted) release()
          else input.signal.addEventListener('abort', () => release())
        })
    )
    const id = await experimentWith(h, 'twin-eater-512m')
    const { runIds } = await h['kernel:start']({
      experimentId: id,
      image: { kind: 'debian' },
      label: 'k',
      runs: 3
    })
    expect(await h['run:cancel']({ experimentId: id })).toEqual({ cancelled: 3 })
    const runs = await settled(h, id)
    expect(runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    expect(runs.map((r) => r.id)).toEqual(runIds)
  })

  it('refuses a scenario the guest cannot express, storing nothing', async () => {
    const h = open(doneRun)
    const id = await experimentWith(h, 'phone-8g-appswitch')
    const refused = await Promise.resolve(
      h['kernel:start']({ experimentId: id, image: { kind: 'debian' }, label: 'k', runs: 1 })
    ).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(LabError)
    expect((refused as LabError).issues.map((i) => i.path)).toContain('workload.type')
    expect(await h['run:list']({ experimentId: id })).toEqual([])
  })

  it('reports the host: missing packages, Debian kernels, the accelerator', async () => {
    const h = open(doneRun)
    const host = await h['kernel:host'](undefined)
    expect(host.missing).toBeNull()
    expect(host.debianKernels.map((k) => k.release)).toEqual(['6.1.0-57-amd64'])
    expect(host.accel).toMatchObject({ accel: 'tcg' })
  })
})
