/**
 * The Perfetto UI, where a run's trace-event file is opened ("Open trace file"). The one page the
 * desktop app hands to the system browser; nothing is sent to it, the user loads the file there.
 */
export const PERFETTO_UI = 'https://ui.perfetto.dev/'
