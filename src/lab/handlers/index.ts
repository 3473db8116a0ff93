import type { Handlers } from '../../shared/contract'
import type { LabContext } from '../context'
import { appHandlers } from './app'
import { experimentHandlers } from './experiments'
import { exportHandlers } from './exports'
import { kernelHandlers } from './kernel'
import { observedHandlers } from './observed'
import { runHandlers } from './runs'
import { simHandlers } from './sim'

/** All channels' handlers; a channel missing here is a compile error. */
export function createHandlers(ctx: LabContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...experimentHandlers(ctx),
    ...simHandlers(ctx),
    ...runHandlers(ctx),
    ...exportHandlers(ctx),
    ...observedHandlers(ctx),
    ...kernelHandlers(ctx)
  } satisfies Handlers
}
