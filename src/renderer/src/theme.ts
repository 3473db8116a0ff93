import type { GlobalThemeOverrides } from 'naive-ui'

const shared = {
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  fontFamilyMono: '"JetBrains Mono", "Fira Code", "DejaVu Sans Mono", ui-monospace, monospace',
  fontSize: '13px',
  fontSizeMedium: '13px',
  borderRadius: '4px',
  heightMedium: '30px'
}

export const lightOverrides: GlobalThemeOverrides = {
  common: {
    ...shared,
    primaryColor: '#2f6fde',
    primaryColorHover: '#4a84e8',
    primaryColorPressed: '#2459b8',
    bodyColor: '#ffffff'
  }
}

export const darkOverrides: GlobalThemeOverrides = {
  common: {
    ...shared,
    primaryColor: '#6aa0ff',
    primaryColorHover: '#8ab4ff',
    primaryColorPressed: '#4f86e6',
    bodyColor: '#16181d',
    cardColor: '#1d2027',
    modalColor: '#1d2027'
  }
}
