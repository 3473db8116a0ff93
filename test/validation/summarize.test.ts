import { describe, expect, it } from 'vitest'
import { parseTwinLog } from '../../scripts/twin/summarize'

/* scripts/twin/summarize.ts reads a boot's console log into the figures the evidence files hold. */
describe('twin log summary', () => {
  it('reads the eater’s CPU, wait, utime and stime at its peak', () => {
    const log = [
      'EATER alloc_done t=4.512 (141.8 MiB/s)',
      '=== PEAK /proc/self/schedstat',
      '5113000000 10000000 812',
      '=== PEAK /proc/self/stat',
      // a command name with a space and a parenthesis: the fields count from the last ") "
      '92 (eat) (er) R 1 0 0 0 -1 4194304 65587 0 0 0 27 483 0 0 20 0 1 0 479 269488128',
      '=== PEAK /proc/vmstat',
      'nr_free_pages 1',
      '=== END'
    ].join('\r\n')
    const r = parseTwinLog(log)
    expect(r.eater_alloc_s).toBe(4.512)
    expect(r.eater_cpu_s).toBeCloseTo(5.113, 9)
    expect(r.eater_wait_s).toBeCloseTo(0.01, 9)
    expect(r.eater_utime_s).toBe(0.27)
    expect(r.eater_sys_s).toBe(4.83)
  })
  it('sums the TLB shootdowns every CPU took during the eater', () => {
    const log = [
      '=== IPI_BEFORE',
      'RES:         61         68   Rescheduling interrupts',
      'CAL:        168        183   Function call interrupts',
      'TLB:          3          2   TLB shootdowns',
      '=== KSWAPD_BEFORE',
      '1 2 3',
      '=== IPI_AFTER',
      'TLB:      17971      29078   TLB shootdowns',
      '=== END'
    ].join('\n')
    expect(parseTwinLog(log).tlb_shootdowns).toBe(17971 + 29078 - 5)
    expect(parseTwinLog('=== END\n').tlb_shootdowns).toBeUndefined()
  })
})
