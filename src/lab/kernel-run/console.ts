/** Keeps what the guest's serial console says: its tail, and the `RL` lines its init prints. */

/** Console kept with a run: enough for a panic's backtrace and the lines before it. */
export const CONSOLE_KEPT = 64 * 1024

const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, 'g')

export interface ConsoleState {
  release: string | null
  version: string | null
  transport: 'virtio-serial' | 'serial' | null
  memTotalKb: number | null
  memFreeKb: number | null
  minFreeKbytes: number | null
  /** Guest uptime (s) when the init said `RL start`. */
  startedAt: number | null
  /** Seconds of the run's duration the sampler has reached. */
  sampledS: number
  /** The eater printed its first line. */
  eaterStarted: boolean
  done: boolean
  /** `RLERR …`: the init's own refusal. */
  error: string | null
  panic: string | null
  oom: string | null
}

export class GuestConsole {
  readonly state: ConsoleState = {
    release: null,
    version: null,
    transport: null,
    memTotalKb: null,
    memFreeKb: null,
    minFreeKbytes: null,
    startedAt: null,
    sampledS: 0,
    eaterStarted: false,
    done: false,
    error: null,
    panic: null,
    oom: null
  }
  private text = ''
  private partial = ''

  constructor(private readonly onLine: (state: ConsoleState) => void = () => {}) {}

  /** The console's last CONSOLE_KEPT characters. */
  get tail(): string {
    return (this.text + this.partial).slice(-CONSOLE_KEPT)
  }

  write(chunk: string): void {
    const text = (this.partial + chunk).replace(/\r/g, '')
    const lines = text.split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.line(line)
    this.text = (this.text + lines.map((l) => `${l}\n`).join('')).slice(-CONSOLE_KEPT)
  }

  private line(raw: string): void {
    // Terminal escapes from the firmware; kernel messages may interleave with init's output.
    const line = raw.replace(ESCAPES, '')
    const s = this.state
    const rl = /(?:^|\s)RL (\w+)(?: (.*))?$/.exec(line)
    if (rl) {
      const [, key, value = ''] = rl
      const num = Number(value)
      if (key === 'kernel') s.release = value
      else if (key === 'version') s.version = value
      else if (key === 'transport') s.transport = value as ConsoleState['transport']
      else if (key === 'memtotal_kb') s.memTotalKb = num || null
      else if (key === 'memfree_kb') s.memFreeKb = num || null
      else if (key === 'min_free_kbytes') s.minFreeKbytes = num || null
      else if (key === 'start') s.startedAt = Number.isFinite(num) ? num : 0
      else if (key === 't' && Number.isFinite(num)) s.sampledS = num
      else if (key === 'done') s.done = true
    }
    if (line.startsWith('EATER start')) s.eaterStarted = true
    const err = /RLERR (.*)$/.exec(line)
    if (err && !s.error) s.error = err[1].trim()
    if (!s.panic && /Kernel panic - not syncing/.test(line))
      s.panic = line.slice(line.indexOf('Kernel panic')).trim()
    if (!s.oom && /Out of memory: Killed process/.test(line))
      s.oom = line.slice(line.indexOf('Out of memory')).trim()
    this.onLine(s)
  }
}
