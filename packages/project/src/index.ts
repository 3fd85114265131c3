// The jobs, as `imgalias check`, `plan`, `fix` and `apply` run them.
export { checkProject } from './checkProject.js';
export type { ProjectCheck } from './checkProject.js';
export { planProject } from './planProject.js';
export type { ProjectPlan } from './planProject.js';
export { applyProject, fixProject } from './fixProject.js';
export type { FixOptions, ProjectFix } from './fixProject.js';
export { prepareProject, readProjectFiles } from './prepareProject.js';
export type { FamilyScope, PreparedProject } from './prepareProject.js';
export { settingsFor } from './ProjectOptions.js';
export type { ProjectEvent, ProjectOptions } from './ProjectOptions.js';
export type { ProjectError } from './ProjectError.js';
export { describeProjectError } from './ProjectError.js';
export { engineStoreOptions, openProjectStore } from './ProjectStore.js';
export type { Environment } from './ProjectStore.js';
export { parseSnapshotText, readSnapshotFile } from './SnapshotFile.js';
export type { SnapshotFile, SnapshotFileError } from './SnapshotFile.js';

// Their parts: settings, mode, discovery.
export { loadSettings } from './config/SettingsLoader.js';
export type { CliFlags } from './config/loadSettings.js';
export type { ConfigError } from './config/ConfigError.js';
export type { ConfigIssue } from './config/ConfigFile.js';
export { describeConfigError } from './config/ConfigError.js';
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
export { defaultSettings, describeConfigFile, describeSettingSource, policyOf } from './config/Settings.js';
export type { ModeResolution, ProbeResult } from './mode/resolveMode.js';
export { describeModeResolution, harborProbeUrl, resolveMode } from './mode/resolveMode.js';
export { discoverProjectImages, missingPaths, problemsOf, projectFilesHere, refusedFiles } from './ProjectImages.js';
