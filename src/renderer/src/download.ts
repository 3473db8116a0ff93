/** Saves a file the user asked for: the browser's download, or Electron's save dialog. */
export function saveText(file: { fileName: string; mimeType: string; text: string }): void {
  saveBlob(file.fileName, new Blob([file.text], { type: `${file.mimeType};charset=utf-8` }))
}

/** Saves a file the server streamed (serve mode) as a browser download. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  saveUrl(fileName, url)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function saveUrl(fileName: string, url: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
