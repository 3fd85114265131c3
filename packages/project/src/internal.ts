// `@imgalias/project/internal`: the parts of the jobs the imgalias CLI wires itself (settings loading, mode
// resolution, discovery, the store, everything before planning). No compatibility promise: names here may change
// in any release. Build tools use `@imgalias/project`.

// The public API as well, so the CLI imports every name from one module.
export * from './index.js';

export { prepareProject, readProjectFiles } from './prepareProject.js';
export type { FamilyScope, PrepareOptions } from './prepareProject.js';
export { settingsFor } from './ProjectOptions.js';
export { engineStoreOptions, openProjectStore } from './ProjectStore.js';
export { parseSnapshotText, readSnapshotFile } from './SnapshotFile.js';
export type { SnapshotFile, SnapshotFileError } from './SnapshotFile.js';
export { parsePlanText, readPlanFile } from './PlanFile.js';
export type { PlanFileError } from './PlanFile.js';
export { loadSettings } from './config/SettingsLoader.js';
export type { CliFlags } from './config/loadSettings.js';
export { describeConfigError } from './config/ConfigError.js';
export { defaultSettings, describeConfigFile, policyOf } from './config/Settings.js';
export { describeModeResolution, harborProbeUrl, resolveMode } from './mode/resolveMode.js';
export { discoverProjectImages, missingPaths, problemsOf, projectFilesHere, refusedFiles } from './ProjectImages.js';
