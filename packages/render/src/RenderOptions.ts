import type { AliasPolicy, EngineKind, Plan } from '@imgalias/core';

export type PlanFormat = 'text' | 'json' | 'markdown' | 'shell';
export type ApplyReportFormat = 'text' | 'json' | 'markdown';

/** Where a plan came from, for the reader of a rendered plan (shell header, Markdown intro). */
export interface RenderHeader {
  /** A label for the snapshot the plan was computed from: a file name, `docker (unix:///run/docker.sock)`. */
  readonly snapshot?: string;
  readonly policy?: AliasPolicy;
}

export interface RenderPlanOptions {
  readonly format: PlanFormat;
  /** The engine the shell script drives; names are spelled in its dialect. Default `docker`. */
  readonly engine?: EngineKind;
  /** ANSI colour in `text`; ignored by the other formats. Decide it with `shouldUseColor`. Default false. */
  readonly color?: boolean;
  readonly header?: RenderHeader;
}

export interface RenderApplyReportOptions {
  readonly format: ApplyReportFormat;
  /** ANSI colour in `text`; ignored by the other formats. Default false. */
  readonly color?: boolean;
  /** The plan that was applied: adds its findings and the conflict count to the report. */
  readonly plan?: Plan;
  readonly header?: RenderHeader;
}

/**
 * How to render a lifecycle plan (`renderPullPlan`, `renderPublishPlan`, `renderCleanPlan`, `renderSyncPlan`).
 * Every kind renders in every `PlanFormat`; JSON is always the core lifecycle codec's form, so it decodes back.
 */
export interface RenderLifecyclePlanOptions {
  readonly format: PlanFormat;
  /** The engine the shell script drives; names are spelled in its dialect. Default `docker`. Not used by sync (skopeo). */
  readonly engine?: EngineKind;
  /** `snapshot` labels the shell script's header; `policy` is not shown by the lifecycle renderers. */
  readonly header?: RenderHeader;
}
