import { computed, onBeforeUnmount, ref } from 'vue'
import { PALETTES, type ThemeName } from '../charts/palette'

const read = (): ThemeName => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light')

/** The app's theme (set by App.vue on <html data-theme>) and the matching chart palette. */
export function useRunTheme() {
  const theme = ref<ThemeName>(read())
  const observer = new MutationObserver(() => (theme.value = read()))
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  onBeforeUnmount(() => observer.disconnect())
  const palette = computed(() => PALETTES[theme.value])
  return { theme, palette }
}
