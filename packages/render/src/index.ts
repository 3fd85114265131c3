export { renderPlan, renderApplyReport } from './render.js';
export { renderPullPlan } from './lifecycle/pullPlan.js';
export { describePublishDestination, renderPublishPlan } from './lifecycle/publishPlan.js';
export { renderCleanPlan } from './lifecycle/cleanPlan.js';
export { renderSyncPlan } from './lifecycle/syncPlan.js';
export { renderRegistryPlanShell } from './registryPlanShell.js';
export type { RenderRegistryPlanShellOptions } from './registryPlanShell.js';
export { renderResultLine } from './text.js';
export { quoteShellArg } from './shell.js';
export { shortImageId } from './Labels.js';
export type {
  PlanFormat,
  ApplyReportFormat,
  RenderHeader,
  RenderPlanOptions,
  RenderApplyReportOptions,
  RenderLifecyclePlanOptions,
} from './RenderOptions.js';
export { shouldUseColor } from './color.js';
export type { ColorContext } from './color.js';
