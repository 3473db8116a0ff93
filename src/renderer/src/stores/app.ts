import type { AppInfo, Settings, ThemePreference } from '@shared/dto'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, transport } from '../lab'

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)
  const settings = ref<Settings>({
    theme: 'system',
    workers: null,
    runOn: 'local',
    redisUrl: null
  })
  const error = ref('')

  async function load(): Promise<void> {
    try {
      ;[info.value, settings.value] = await Promise.all([call('app:info'), call('settings:get')])
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function setTheme(theme: ThemePreference): Promise<void> {
    settings.value = await call('settings:update', { theme })
  }

  async function setWorkers(workers: number | null): Promise<void> {
    settings.value = await call('settings:update', { workers })
  }

  /** Throws the refusal (a queue without a URL) for the form to show. */
  async function setRunOn(patch: Pick<Partial<Settings>, 'runOn' | 'redisUrl'>): Promise<void> {
    settings.value = await call('settings:update', patch)
  }

  /** Throws the refusal (a path that a start could not open) for the form to show. */
  async function setNotebookLocation(path: string | null): Promise<void> {
    info.value = await call('settings:setNotebookLocation', { path })
  }

  return {
    info,
    settings,
    error,
    transport,
    load,
    setTheme,
    setWorkers,
    setRunOn,
    setNotebookLocation
  }
})
