import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { VMSTAT_COUNTERS, createVmstat } from '../../../src/sim/metrics/vmstat'

const root = join(__dirname, '..', '..', '..')

/** Runs `code` in a fresh node with V8's natives syntax (for %HasFastProperties) and tsx. */
function inFreshNode(code: string): string {
  return execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=commonjs', '-e', code],
    { cwd: root, encoding: 'utf8' }
  ).trim()
}

describe('vmstat counters', () => {
  it('start at zero, one per kernel name, in vmstat_text order', () => {
    const v = createVmstat()
    expect(Object.keys(v)).toEqual([...VMSTAT_COUNTERS])
    expect(Object.values(v).every((x) => x === 0)).toBe(true)
  })

  // Every reclaim and fault path increments these; in V8's dictionary mode each `vmstat.x++` is a
  // hash lookup (about a tenth of the phone preset's instructions). Checked in a fresh process, as
  // a worker builds them, where 42 keyed stores into {} give a dictionary-mode object.
  it('are an object with fast properties in a fresh process', () => {
    const out = inFreshNode(
      "const { createVmstat } = require('./src/sim/metrics/vmstat.ts');" +
        'const a = createVmstat(); const b = createVmstat();' +
        'console.log(%HasFastProperties(a), %HasFastProperties(b))'
    )
    expect(out).toBe('true true')
  })
})
