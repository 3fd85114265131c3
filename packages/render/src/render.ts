import type { ApplyReport, Plan } from '@imgalias/core';
import { renderApplyReportJson, renderPlanJson } from './json.js';
import { renderApplyReportMarkdown, renderPlanMarkdown } from './markdown.js';
import type { RenderApplyReportOptions, RenderPlanOptions } from './RenderOptions.js';
import { renderPlanShell } from './shell.js';
import { renderApplyReportText, renderPlanText } from './text.js';

/**
 * A plan as text for a terminal, the core codec's JSON, Markdown for a pull request, or a POSIX sh script.
 * Output depends on the plan and the options only (no clock, no environment), so it can be diffed and golden-tested.
 *
 * @example
 * process.stdout.write(renderPlan(plan, { format: 'shell', engine: 'podman', header: { snapshot: 'podman', policy } }));
 */
export const renderPlan = (plan: Plan, options: RenderPlanOptions): string => {
  switch (options.format) {
    case 'text':
      return renderPlanText(plan, options);
    case 'json':
      return renderPlanJson(plan);
    case 'markdown':
      return renderPlanMarkdown(plan, options);
    case 'shell':
      return renderPlanShell(plan, options);
  }
};

/** What applying a plan did, as text, JSON or Markdown. Pass the plan to include its findings and conflicts. */
export const renderApplyReport = (report: ApplyReport, options: RenderApplyReportOptions): string => {
  switch (options.format) {
    case 'text':
      return renderApplyReportText(report, options);
    case 'json':
      return renderApplyReportJson(report, options);
    case 'markdown':
      return renderApplyReportMarkdown(report, options);
  }
};
