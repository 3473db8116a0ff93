import { describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>()
  const invoked: unknown[][] = []
  const listeners = new Map<string, unknown[]>()
  return {
    exposed,
    invoked,
    listeners,
    electron: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args)
          return Promise.resolve({ ok: true, data: null })
        },
        on: (event: string, l: unknown) =>
          listeners.set(event, [...(listeners.get(event) ?? []), l]),
        removeListener: (event: string, l: unknown) =>
          listeners.set(
            event,
            (listeners.get(event) ?? []).filter((x) => x !== l)
          )
      }
    }
  }
})

vi.mock('electron', () => fake.electron)

describe('preload bridge', () => {
  it('exposes only `lab`, with invoke/download/on limited to declared channels and events', async () => {
    await import('../../src/preload/index')
    expect([...fake.exposed.keys()]).toEqual(['lab'])
    const lab = fake.exposed.get('lab') as {
      invoke(c: string, i?: unknown): Promise<unknown>
      download(c: string, i?: unknown): Promise<unknown>
      on(e: string, l: (p: unknown) => void): () => void
    }
    expect(Object.keys(lab).sort()).toEqual(['download', 'invoke', 'on'])
    await lab.invoke('experiment:list', {})
    await expect(lab.invoke('fs:readFile', '/etc/passwd')).rejects.toThrow(
      'Unknown channel fs:readFile'
    )
    await lab.download('export:seriesCsv', { experimentId: 1 })
    await expect(lab.download('experiment:delete', { id: 1 })).rejects.toThrow(
      'Unknown download experiment:delete'
    )
    await expect(lab.invoke('export:seriesCsv', { experimentId: 1 })).rejects.toThrow(
      'Unknown channel export:seriesCsv'
    )
    expect(fake.invoked).toEqual([
      ['experiment:list', {}],
      ['lab:download', 'export:seriesCsv', { experimentId: 1 }]
    ])
    expect(() => lab.on('ipc:anything', () => {})).toThrow('Unknown event ipc:anything')
    const off = lab.on('experiment:changed', () => {})
    expect(fake.listeners.get('experiment:changed')).toHaveLength(1)
    off()
    expect(fake.listeners.get('experiment:changed')).toHaveLength(0)
  })
})
