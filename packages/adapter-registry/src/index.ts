// The public API of @imgalias/adapter-registry: images in OCI distribution registries, without an engine.

export type { RegistryError, RegistryErrorCode } from './RegistryError.js';
export { describeRegistryError, errorCodes, isNotFound, isRetryable } from './RegistryError.js';
export type { Challenge } from './Challenge.js';
export { parseChallenge, repositoryScope, mergeScopes } from './Challenge.js';
export type { BasicCredentials, CredentialSource, HelperRunner } from './Credentials.js';
export { dockerConfigCredentials, staticCredentials, anonymous, runCredentialHelper } from './Credentials.js';
export type { RetryOptions, RegistryClientOptions, RegistryRequest, RegistryResponse, RegistryClient } from './RegistryClient.js';
export { createRegistryClient, isLoopbackRegistry, apiHost } from './RegistryClient.js';
export type { Platform, Descriptor, ManifestContent } from './Manifest.js';
export {
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  MANIFEST_ACCEPT,
  digestOf,
  parseManifest,
  parsePlatform,
  formatPlatform,
  platformMatches,
  platformOf,
} from './Manifest.js';
export type { RemoteName, ManifestHead, ManifestRead, CopyReport, CopyRequest, CopyShape, RegistryImagesOptions, RegistryImages } from './RegistryImages.js';
export { createRegistryImages, parseRemoteName, formatRemoteName } from './RegistryImages.js';
export type { RegistryStoreName, RegistryStoreOptions } from './RegistryStore.js';
export { createRegistryStore } from './RegistryStore.js';
