/** Chart colours for the light and dark themes; line tone 0 is the run's variant colour. */

export type ThemeName = 'light' | 'dark'

export interface ChartPalette {
  text: string
  muted: string
  axis: string
  split: string
  tooltipBg: string
  tooltipBorder: string
  /** Secondary line colours (tones 1..). */
  tones: string[]
  watermark: { min: string; low: string; high: string }
  annotation: string
  annotationArea: string
  pending: string
  brush: string
}

export const PALETTES: Record<ThemeName, ChartPalette> = {
  light: {
    text: '#1f2328',
    muted: '#6b7280',
    axis: '#c3c8d0',
    split: '#eef0f3',
    tooltipBg: '#ffffff',
    tooltipBorder: '#d0d5dd',
    tones: ['#c7851a', '#12889a', '#b23d83', '#5866a8'],
    watermark: { min: '#c0392b', low: '#c7851a', high: '#6b7280' },
    annotation: '#343a46',
    annotationArea: 'rgba(52, 58, 70, 0.07)',
    pending: '#2f6fde',
    brush: 'rgba(47, 111, 222, 0.15)'
  },
  dark: {
    text: '#d5d9e0',
    muted: '#9aa3b2',
    axis: '#3a404c',
    split: '#242831',
    tooltipBg: '#1d2027',
    tooltipBorder: '#3a404c',
    tones: ['#e3a33b', '#2bb3c6', '#d560a6', '#8b98d8'],
    watermark: { min: '#f0685a', low: '#e3a33b', high: '#9aa3b2' },
    annotation: '#e6e9ef',
    annotationArea: 'rgba(230, 233, 239, 0.07)',
    pending: '#6aa0ff',
    brush: 'rgba(106, 160, 255, 0.18)'
  }
}

/** Colour of a line: tone 0 is the variant's colour, the rest cycle through the palette. */
export function toneColor(p: ChartPalette, variant: string, tone: number): string {
  return tone === 0 ? variant : p.tones[(tone - 1) % p.tones.length]
}
