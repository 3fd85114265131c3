export { renderPlan, renderApplyReport } from './render.js';
export { renderResultLine } from './text.js';
export { quoteShellArg } from './shell.js';
export type { PlanFormat, ApplyReportFormat, RenderHeader, RenderPlanOptions, RenderApplyReportOptions } from './RenderOptions.js';
export { shouldUseColor } from './color.js';
export type { ColorContext } from './color.js';
