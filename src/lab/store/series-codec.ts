import { deflateRawSync, inflateRawSync } from 'node:zlib'

/** A run's sampled time series, columnar: one value per sample time in every series. */
export interface SeriesColumns {
  t_s: number[]
  series: Record<string, number[]>
}

const MAGIC = 0x52534c31 // "RSL1"
const ENC_DELTA_I32 = 1
const ENC_F64 = 2

/** Counters and page gauges are integers that change little between samples: delta-encode them. */
function fitsDeltaI32(values: number[]): boolean {
  let prev = 0
  for (const v of values) {
    const d = v - prev
    if (!Number.isInteger(v) || d > 2147483647 || d < -2147483648) return false
    prev = v
  }
  return true
}

/**
 * Encodes columns as: magic, header length, JSON header {samples, columns: [name, encoding]}, then
 * each column as delta Int32 or Float64, all deflated. Sample times are the column `t_s`.
 */
export function encodeSeries(columns: SeriesColumns): Buffer {
  const names = ['t_s', ...Object.keys(columns.series)]
  const arrays = [columns.t_s, ...Object.values(columns.series)]
  const samples = columns.t_s.length
  arrays.forEach((a, i) => {
    if (a.length !== samples)
      throw new Error(`series ${names[i]} has ${a.length} samples, expected ${samples}`)
  })
  const encodings = arrays.map((a) => (fitsDeltaI32(a) ? ENC_DELTA_I32 : ENC_F64))
  const header = Buffer.from(
    JSON.stringify({ samples, columns: names.map((n, i) => [n, encodings[i]]) })
  )
  const body = Buffer.alloc(
    encodings.reduce((sum, e) => sum + samples * (e === ENC_F64 ? 8 : 4), 0)
  )
  let offset = 0
  arrays.forEach((values, i) => {
    if (encodings[i] === ENC_F64) {
      for (const v of values) offset = body.writeDoubleLE(v, offset)
    } else {
      let prev = 0
      for (const v of values) {
        offset = body.writeInt32LE(v - prev, offset)
        prev = v
      }
    }
  })
  const prefix = Buffer.alloc(8)
  prefix.writeUInt32LE(MAGIC, 0)
  prefix.writeUInt32LE(header.length, 4)
  return deflateRawSync(Buffer.concat([prefix, header, body]), { level: 6 })
}

export function decodeSeries(blob: Buffer): SeriesColumns {
  const raw = inflateRawSync(blob)
  if (raw.readUInt32LE(0) !== MAGIC) throw new Error('not a Reclaim Lab series blob')
  const headerLength = raw.readUInt32LE(4)
  const header = JSON.parse(raw.subarray(8, 8 + headerLength).toString('utf8')) as {
    samples: number
    columns: Array<[string, number]>
  }
  const { samples } = header
  let offset = 8 + headerLength
  const out: Record<string, number[]> = {}
  for (const [name, encoding] of header.columns) {
    const values = new Array<number>(samples)
    if (encoding === ENC_F64) {
      for (let i = 0; i < samples; i++, offset += 8) values[i] = raw.readDoubleLE(offset)
    } else {
      let prev = 0
      for (let i = 0; i < samples; i++, offset += 4) values[i] = prev += raw.readInt32LE(offset)
    }
    out[name] = values
  }
  const { t_s, ...series } = out
  return { t_s: t_s ?? [], series }
}

/** Appends one sample batch to accumulated columns (batches arrive from the worker as they are taken). */
export function appendBatch(into: SeriesColumns, batch: SeriesColumns): void {
  into.t_s.push(...batch.t_s)
  for (const [name, values] of Object.entries(batch.series)) {
    const column = (into.series[name] ??= [])
    column.push(...values)
  }
}
