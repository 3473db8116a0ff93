/** Request channels, `domain:verb`. The preload's allowlist and both transports use this list. */
export const channelNames = [
  'app:info',
  'experiment:list',
  'experiment:get',
  'experiment:create',
  'experiment:update',
  'experiment:setTags',
  'experiment:duplicate',
  'experiment:delete',
  'experiment:setScenario',
  'sim:catalog',
  'run:start',
  'run:list',
  'run:get',
  'run:series',
  'run:details',
  'run:cancel',
  'run:setNotes',
  'run:delete',
  'run:trace',
  'annotation:list',
  'annotation:create',
  'annotation:delete',
  'queue:state',
  'tag:list',
  'settings:get',
  'settings:update',
  'settings:setNotebookLocation',
  'bundle:import',
  'share:encode',
  'share:import',
  'observed:import',
  'kernel:host',
  'kernel:start',
  'run:log'
] as const

export type Channel = (typeof channelNames)[number]

/**
 * Exports answered as a file rather than as JSON: produced chunk by chunk and streamed to the file
 * the user chose (a save dialog on the desktop, a download over HTTP), whatever their size.
 */
export const downloadChannelNames = [
  'export:runsCsv',
  'export:seriesCsv',
  'export:histogramsCsv',
  'export:trace',
  'bundle:export'
] as const

export type DownloadChannel = (typeof downloadChannelNames)[number]

/** The one Electron IPC channel downloads travel on; the download channel is its first argument. */
export const DOWNLOAD_IPC = 'lab:download'

/** Server → renderer notifications. */
export const eventNames = [
  'experiment:changed',
  'menu:command',
  'run:progress',
  'queue:changed'
] as const

export type EventName = (typeof eventNames)[number]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (channelNames as readonly string[]).includes(name)
}

export function isDownloadChannel(name: unknown): name is DownloadChannel {
  return typeof name === 'string' && (downloadChannelNames as readonly string[]).includes(name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name)
}
