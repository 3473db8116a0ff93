import type { z } from 'zod'
import type { FieldIssue } from './errors'

/** Zod's issues as dotted field paths under `prefix` (e.g. `scenario`), each with its message. */
export function zodIssues(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.'),
    message: issue.message
  }))
}

/** "kernel.vm.swappiness: Too big…; duration_s: …", for one-line messages. */
export function issuesText(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
}
