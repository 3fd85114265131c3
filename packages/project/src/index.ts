// `@imgalias/project`: what a build tool needs to run a project's imgalias job. The jobs, as `imgalias check`,
// `plan`, `fix`, `apply` and `apply --plan` run them, their options and results, and the settings types those
// name. The parts the CLI wires itself (the settings loader, mode resolution, discovery, the store) are in
// `@imgalias/project/internal`, with no compatibility promise.
export { checkProject } from './checkProject.js';
export type { ProjectCheck } from './checkProject.js';
export { planProject } from './planProject.js';
export type { ProjectPlan } from './planProject.js';
export { applyProject, applySavedPlan, fixProject } from './fixProject.js';
export type { FixOptions, ProjectFix, SavedPlanApply, SavedPlanOptions } from './fixProject.js';
export type { PreparedProject } from './prepareProject.js';
export type { ProjectEvent, ProjectOptions } from './ProjectOptions.js';
export type { ProjectError } from './ProjectError.js';
export { describeProjectError } from './ProjectError.js';
export type { Environment } from './ProjectStore.js';

// The settings a job reports (each with where it came from) and takes back as `settings`.
export type { ConfigError } from './config/ConfigError.js';
export type { ConfigIssue } from './config/ConfigFile.js';
export type { SourcedMirrorRule } from './config/MirrorSettings.js';
export type { SettingsPolicy } from './config/SettingsPolicy.js';
export type {
  EngineTransportSetting,
  ModeSetting,
  OutputFormat,
  PrefetchSettings,
  ProbeSettings,
  SettingSource,
  SettingSources,
  SourcedSetting,
  Settings,
  Sourced,
} from './config/Settings.js';
export { describeSettingSource } from './config/Settings.js';
export type { ModeResolution, ProbeResult } from './mode/resolveMode.js';
