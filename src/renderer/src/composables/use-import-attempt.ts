import { LabError } from '@shared/errors'
import { ref } from 'vue'

/** Every problem a refusal names, as `where: what` lines (line numbers, bundle paths). */
export function issueLines(err: unknown): string[] {
  return err instanceof LabError
    ? err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    : []
}

/** The text of a file the user picked in an `<input type="file">`, or null when none was. */
export async function chosenFile(e: Event): Promise<{ name: string; text: string } | null> {
  const file = (e.target as HTMLInputElement).files?.[0]
  return file ? { name: file.name, text: await file.text() } : null
}

/** An import dialog's state: busy while it runs, and why it was refused (nothing is imported then). */
export function useImportAttempt() {
  const busy = ref(false)
  const message = ref('')
  const problems = ref<string[]>([])

  function clear(): void {
    message.value = ''
    problems.value = []
  }

  function refuse(text: string): void {
    clear()
    message.value = text
  }

  async function attempt(action: () => Promise<void>): Promise<void> {
    clear()
    busy.value = true
    try {
      await action()
    } catch (err) {
      message.value = (err as Error).message
      problems.value = issueLines(err)
    } finally {
      busy.value = false
    }
  }

  return { busy, message, problems, clear, refuse, attempt }
}
