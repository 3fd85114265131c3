export { loadSettings } from './config/SettingsLoader.js';
export type { CliFlags } from './config/loadSettings.js';
export type { ConfigError } from './config/ConfigError.js';
export { describeConfigError } from './config/ConfigError.js';
export type { SourcedMirrorRule } from './config/MirrorSettings.js';
export type {
  EngineTransportSetting,
  ModeSetting,
  OutputFormat,
  PrefetchSettings,
  ProbeSettings,
  SettingSource,
  Settings,
  Sourced,
} from './config/Settings.js';
export { defaultSettings, describeConfigFile, describeSettingSource, policyOf } from './config/Settings.js';
export type { ModeResolution, ProbeResult } from './mode/resolveMode.js';
export { describeModeResolution, harborProbeUrl, resolveMode } from './mode/resolveMode.js';
export { discoverProjectImages, missingPaths, problemsOf, projectFilesHere, refusedFiles } from './ProjectImages.js';
