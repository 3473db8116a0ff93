/** A problem with one field of a request: `path` is dotted (`tags.2`, `kernel.vm.swappiness`). */
export interface FieldIssue {
  path: string
  message: string
}

export type LabErrorCode =
  | 'invalid' // the request failed validation; nothing was written
  | 'not_found'
  | 'conflict'
  | 'unknown_channel'
  | 'unauthorized'
  | 'storage' // the database refused or is unreadable
  | 'internal'

/** The one error shape every transport returns. */
export interface LabErrorData {
  code: LabErrorCode
  message: string
  issues?: FieldIssue[]
}

export class LabError extends Error {
  readonly code: LabErrorCode
  readonly issues: FieldIssue[]

  constructor(code: LabErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message)
    this.name = 'LabError'
    this.code = code
    this.issues = issues
  }

  toData(): LabErrorData {
    return this.issues.length
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message }
  }

  static from(data: LabErrorData): LabError {
    return new LabError(data.code, data.message, data.issues ?? [])
  }
}

/** Turns anything thrown by a handler into the wire shape, keeping LabError details. */
export function toErrorData(err: unknown): LabErrorData {
  if (err instanceof LabError) return err.toData()
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal', message }
}
