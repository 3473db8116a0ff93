import type { RunDetail } from '@shared/dto'
import { ref } from 'vue'
import { call } from '../lab'
import { useAutosave } from './use-autosave'
import { useFieldErrors } from './use-field-errors'

/** A run's markdown notes, saved with `run:setNotes` a moment after each edit. */
export function useRunNotes(run: RunDetail) {
  const notes = ref(run.notes)
  const errors = useFieldErrors()
  const autosave = useAutosave(async () => {
    try {
      await call('run:setNotes', { id: run.id, notes: notes.value })
      errors.clear()
    } catch (err) {
      errors.take(err, ['notes'])
      throw err
    }
  })
  return { notes, errors, autosave }
}
