export { discoverImages } from './Discovery.js';
export type { DiscoveredImage, DiscoverImagesOptions, Discovery, ImageSource } from './Discovery.js';
export { describeDiscoveryFinding, isInformationalFinding } from './DiscoveryFinding.js';
export type { DiscoveryFinding, UnresolvedReason } from './DiscoveryFinding.js';
export { parseDockerfile } from './Dockerfile.js';
export type { DockerfileImages, ParseDockerfileOptions } from './Dockerfile.js';
export { parseCompose } from './Compose.js';
export type { BuiltService, ComposeBuild, ComposeImage, ComposeImages, ParseComposeOptions } from './Compose.js';
export { parseDotEnv } from './DotEnv.js';
export type { DotEnv, ParseDotEnvOptions } from './DotEnv.js';
export type { FoundImage } from './FoundImage.js';
export { classifyFileName, findProjectFiles, readComposeEnvironment } from './ProjectFiles.js';
export type {
  FindProjectFilesOptions,
  ProjectFile,
  ProjectFileKind,
  ProjectFiles,
  ReadComposeEnvironmentOptions,
} from './ProjectFiles.js';
export { describeTextFileProblem, inputLimits, readTextFile } from './TextFile.js';
export type { ReadTextFileOptions, TextFileResult } from './TextFile.js';
export { DUPLICATE_KEY_MESSAGE, findDuplicateKey } from './YamlKeys.js';
