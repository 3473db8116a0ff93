import type { LabBridge } from '../shared/contract'

declare global {
  interface Window {
    lab?: LabBridge
  }
}
