import { describe, expect, it } from 'vitest'
import { parseObserved } from '../../../src/lab/observed'
import { observedTexts, splitSamples } from '../../../src/lab/kernel-run/sample-stream'

function sample(t: number, pgscan: number, stallUs: number): string {
  return [
    `@vmstat ${t.toFixed(6)}`,
    'nr_free_pages 1000',
    `pgscan_kswapd ${pgscan}`,
    'pswpout 5',
    `@pressure ${t.toFixed(6)}`,
    `some avg10=1.00 avg60=0.50 avg300=0.10 total=${stallUs}`,
    `full avg10=0.50 avg60=0.20 avg300=0.05 total=${stallUs / 2}`,
    `@zoneinfo ${t.toFixed(6)}`,
    'DMA 3968 6 7 8 3977',
    'DMA32 50000 400 500 600 60000',
    'Normal 0 0 0 0 0',
    `@zram ${t.toFixed(6)}`,
    '  4096 63 8192 0 8192 0 0 0',
    ''
  ].join('\r\n')
}

describe('splitSamples', () => {
  it('reads every block of a complete stream, serial line endings included', () => {
    const { samples, complete } = splitSamples(
      sample(3.1, 10, 100) + sample(3.2, 30, 300) + '@end\n'
    )
    expect(complete).toBe(true)
    expect(samples).toHaveLength(2)
    expect(samples[1]).toMatchObject({ t: 3.2, zram: [4096, 63, 8192, 0, 8192, 0, 0, 0] })
    expect(samples[0].zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal'])
    expect(samples[0].zones[1]).toEqual({
      zone: 'DMA32',
      free: 50000,
      min: 400,
      low: 500,
      high: 600,
      managed: 60000
    })
  })

  it('says so when the guest stopped before @end, and drops the sample it cut short', () => {
    const cut = sample(1, 1, 1) + sample(1.1, 2, 2) + '@vmstat 1.2\nnr_free'
    const { samples, complete } = splitSamples(cut)
    expect(complete).toBe(false)
    expect(samples.map((s) => s.t)).toEqual([1, 1.1])
  })

  it('gives the observed-run parser a capture it takes, PSI aligned with the snapshots', () => {
    const { samples } = splitSamples(
      sample(5, 10, 1000) + sample(5.1, 40, 4000) + sample(5.2, 100, 9000) + '@end\n'
    )
    const texts = observedTexts(samples)
    const run = parseObserved({ text: texts.vmstat, pressure: texts.pressure })
    expect(run.durationS).toBeCloseTo(0.2, 6)
    expect(run.result.vmstat.pgscan_kswapd).toBe(90)
    expect(run.result.psi.some.total_us).toBe(8000)
    expect(run.series.series.psi_some_total_us).toEqual([3000, 8000])
    expect(run.result.warnings).toEqual([])
  })
})
