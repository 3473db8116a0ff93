import type { PresetInfo, SimCatalog } from '@shared/dto'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call } from '../lab'

/** Presets and variants the simulator offers; loaded once. */
export const useCatalogStore = defineStore('catalog', () => {
  const catalog = ref<SimCatalog | null>(null)
  let loading: Promise<SimCatalog> | undefined

  function load(): Promise<SimCatalog> {
    loading ??= call('sim:catalog').then((c) => (catalog.value = c))
    return loading
  }

  function preset(name: string | null): PresetInfo | undefined {
    return catalog.value?.presets.find((p) => p.name === name)
  }

  return { catalog, load, preset }
})
