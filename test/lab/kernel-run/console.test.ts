import { describe, expect, it } from 'vitest'
import { CONSOLE_KEPT, GuestConsole } from '../../../src/lab/kernel-run/console'

describe('GuestConsole', () => {
  it('follows the init through lines split anywhere across chunks', () => {
    const seen: number[] = []
    const c = new GuestConsole((s) => seen.push(s.sampledS))
    const text =
      '\x1b[2JSeaBIOS\r\nRL kernel 6.1.0-57-amd64\r\nRL version #1 SMP Debian\nRL transport virtio-serial\n' +
      'RL memtotal_kb 210504\nRL min_free_kbytes 1788\nRL start 3.07\nEATER start total=300MiB\nRL t 1\nRL t 2\nRL done\n'
    for (let i = 0; i < text.length; i += 7) c.write(text.slice(i, i + 7))
    expect(c.state).toMatchObject({
      release: '6.1.0-57-amd64',
      version: '#1 SMP Debian',
      transport: 'virtio-serial',
      memTotalKb: 210504,
      minFreeKbytes: 1788,
      startedAt: 3.07,
      sampledS: 2,
      eaterStarted: true,
      done: true,
      error: null,
      panic: null
    })
    expect(seen.at(-1)).toBe(2)
    expect(c.tail).toContain('RL done\n')
    expect(c.tail).not.toContain('\r')
  })

  it('catches the init refusing, a panic and the OOM killer, with kernel timestamps before them', () => {
    const c = new GuestConsole()
    c.write('RLERR zram here cannot compress with zstd; it offers: lzo [lz4]\n')
    c.write('[   12.5] Out of memory: Killed process 99 (eater) total-vm:300000kB\n')
    c.write('[   13.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n')
    expect(c.state.error).toBe('zram here cannot compress with zstd; it offers: lzo [lz4]')
    expect(c.state.oom).toBe('Out of memory: Killed process 99 (eater) total-vm:300000kB')
    expect(c.state.panic).toBe(
      'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009'
    )
  })

  it('keeps only the tail of a long console', () => {
    const c = new GuestConsole()
    for (let i = 0; i < 5000; i++) c.write(`line ${i} ${'x'.repeat(40)}\n`)
    expect(c.tail.length).toBeLessThanOrEqual(CONSOLE_KEPT)
    expect(c.tail).toContain('line 4999')
    expect(c.tail).not.toContain('line 0 ')
  })
})
