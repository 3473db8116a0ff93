import { LabError } from '@shared/errors'
import { ref } from 'vue'

/** Maps a LabError's field issues onto form fields; anything unmatched becomes the form's message. */
export function useFieldErrors() {
  const fields = ref<Record<string, string>>({})
  const general = ref('')

  function take(err: unknown, known: string[]): void {
    fields.value = {}
    general.value = ''
    if (err instanceof LabError && err.issues.length) {
      const rest: string[] = []
      for (const issue of err.issues) {
        const field = known.find((k) => issue.path === k || issue.path.startsWith(`${k}.`))
        if (field && !fields.value[field]) fields.value[field] = issue.message
        else if (!field) rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message)
      }
      general.value = rest.join('; ')
    } else {
      general.value = err instanceof Error ? err.message : String(err)
    }
  }

  function clear(): void {
    fields.value = {}
    general.value = ''
  }

  return { fields, general, take, clear }
}
