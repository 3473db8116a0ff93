/** The guest sampler's stream (guest/sampler.c): blocks after `@NAME SECONDS` lines, then `@end`. */

export interface ZoneRow {
  zone: string
  free: number
  min: number
  low: number
  high: number
  managed: number
}

export interface Sample {
  t: number
  vmstat: string
  pressure: string
  zones: ZoneRow[]
  /** /sys/block/zram0/mm_stat's numbers, when the guest has zram. */
  zram: number[] | null
}

export interface SampleStream {
  samples: Sample[]
  /** The sampler wrote `@end`: it ran its whole duration. */
  complete: boolean
}

/**
 * Splits the stream into samples. A sample starts at `@vmstat`; one cut short by the guest's end
 * (no `@end` or next sample after it) is dropped.
 */
export function splitSamples(text: string): SampleStream {
  const samples: Sample[] = []
  let cur: Sample | null = null
  let block: string | null = null
  let complete = false
  let lines: string[] = []
  const close = (): void => {
    if (!cur || block === null) return
    if (block === 'vmstat') cur.vmstat = lines.join('\n')
    else if (block === 'pressure') cur.pressure = lines.join('\n')
    else if (block === 'zoneinfo') cur.zones = lines.map(zoneRow).filter((z) => z !== null)
    else if (block === 'zram') cur.zram = (lines[0] ?? '').trim().split(/\s+/).map(Number)
    lines = []
  }
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const head = /^@(\w+)(?: (\d+(?:\.\d+)?))?$/.exec(raw)
    if (!head) {
      if (block !== null && raw) lines.push(raw)
      continue
    }
    close()
    const [, name, t] = head
    if (name === 'end') {
      if (cur) samples.push(cur)
      cur = null
      block = null
      complete = true
      break
    }
    if (name === 'vmstat') {
      if (cur) samples.push(cur)
      cur = { t: Number(t), vmstat: '', pressure: '', zones: [], zram: null }
    }
    block = name
  }
  return { samples, complete }
}

function zoneRow(line: string): ZoneRow | null {
  const [zone, ...nums] = line.trim().split(/\s+/)
  const v = nums.map(Number)
  if (v.length !== 5 || v.some((n) => !Number.isFinite(n))) return null
  const [free, min, low, high, managed] = v
  return { zone, free, min, low, high, managed }
}

/** The capture as the observed-run parser reads it: timestamp lines, each before its readings. */
export function observedTexts(samples: Sample[]): { vmstat: string; pressure: string } {
  const stamp = (s: Sample): string => s.t.toFixed(6)
  return {
    vmstat: samples.map((s) => `${stamp(s)}\n${s.vmstat}`).join('\n') + '\n',
    pressure: samples
      .filter((s) => s.pressure)
      .map((s) => `${stamp(s)}\n${s.pressure}`)
      .join('\n')
  }
}
