export {
  KernelRunService,
  defaultTimeoutS,
  type KernelRunRequest,
  type KernelRunServiceOptions
} from './kernel-run-service'
export { planGuest, type GuestPlan } from './guest-plan'
