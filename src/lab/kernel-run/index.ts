export { KernelRunService, defaultTimeoutS, type KernelRunRequest } from './kernel-run-service'
export { planGuest, type GuestPlan } from './guest-plan'
