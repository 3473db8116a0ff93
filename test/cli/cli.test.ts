import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../src/cli/args'
import { main } from '../../src/cli/index'
import { captureIO } from '../helpers/io'

describe('reclaim-lab CLI', () => {
  it('prints usage for no command and for help', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const io = captureIO()
      expect(await main(argv, io)).toBe(0)
      expect(io.out).toContain('reclaim-lab serve [--port N] [--db PATH]')
      expect(io.err).toBe('')
    }
  })

  it('refuses an unknown command with exit code 2', async () => {
    const io = captureIO()
    expect(await main(['frobnicate'], io)).toBe(2)
    expect(io.err.split('\n')[0]).toBe('reclaim-lab: unknown command frobnicate')
    expect(io.out).toBe('')
  })

  it('refuses a bad serve port or option, naming it, with exit code 2', async () => {
    const bad = captureIO()
    expect(await main(['serve', '--port', '70000'], bad)).toBe(2)
    expect(bad.err).toBe(
      'reclaim-lab serve: --port must be a whole number from 0 to 65535, got 70000\n'
    )
    const unknown = captureIO()
    expect(await main(['serve', '--verbose'], unknown)).toBe(2)
    expect(unknown.err).toBe('reclaim-lab serve: unknown option --verbose\n')
    expect(bad.out + unknown.out).toBe('')
  })

  it('parses --flag value, --flag=value, repeated and boolean flags', () => {
    const parsed = parseArgs(['--set', 'a=1', '--set=b=2', '--json', 'pos'], ['set'], ['json'])
    expect(parsed.flags.get('set')).toEqual(['a=1', 'b=2'])
    expect(parsed.flags.get('json')).toEqual(['true'])
    expect(parsed.positional).toEqual(['pos'])
    expect(() => parseArgs(['--set'], ['set'])).toThrow('--set needs a value')
  })

  it('runs as the installed `reclaim-lab` bin from any folder', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'reclaim-lab.js')
    const ok = spawnSync(process.execPath, [bin, 'presets'], { cwd: '/', encoding: 'utf8' })
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/^phone-8g-appswitch\s+8 GiB phone/m)
    const bad = spawnSync(process.execPath, [bin, 'run', '--preset', 'nope'], {
      cwd: '/',
      encoding: 'utf8'
    })
    expect(bad.status).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toMatch(/^reclaim-lab run: unknown preset 'nope'/)
  })

  it('checks the serve port before the notebook is opened or made', async () => {
    const busy = createServer()
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done))
    const port = (busy.address() as AddressInfo).port
    const path = join(mkdtempSync(join(tmpdir(), 'reclaim-lab-test-')), 'notebook.sqlite')
    const io = captureIO()
    try {
      expect(await main(['serve', '--port', String(port), '--db', path], io)).toBe(1)
      expect(existsSync(path)).toBe(false)
    } finally {
      busy.close()
      rmSync(dirname(path), { recursive: true })
    }
    expect(io.err).toBe(
      `Port ${port} on 127.0.0.1 is in use (another serve, or another program): choose another ` +
        'with --port, or --port 0 for a free one.\n'
    )
  })
})
