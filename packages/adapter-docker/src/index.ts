// The public API of @imgalias/adapter-docker: the only package that runs a container engine.

export { createEngineStore, defaultConcurrency } from './EngineStore.js';
export type { EngineStore, EngineStoreOptions } from './EngineStore.js';
export { createEngineRunner, defaultTimeoutMs, refusedEngineOptions } from './EngineRunner.js';
export { checkEngineTarget, describeEngineOptionsError, engineEnvironment } from './EngineEnvironment.js';
export type { EngineEnv, EngineOptionsError, EngineTarget } from './EngineEnvironment.js';
export { createApiTransport, createCliTransport, selectTransport } from './EngineTransport.js';
export type { EngineTransport, TransportChoice, TransportInfo, TransportKind, TransportOptions } from './EngineTransport.js';
export { createEngineApiClient } from './EngineApi.js';
export type { EngineApiClient, EngineApiOptions, InspectedImage, RequestEvent } from './EngineApi.js';
export { describeEndpoint, endpointOfHost, resolveDockerEndpoint } from './DockerEndpoint.js';
export type { DockerEndpoint, EndpointSources } from './DockerEndpoint.js';
export type { EngineOptions, EngineRunner, EngineOutput, ExecEvent, RunOptions } from './EngineRunner.js';
export { execaExec } from './Exec.js';
export type { Exec, ExecRequest, ExecOutcome } from './Exec.js';
export { imageListArgs, parseImageList } from './ImageList.js';
export { describeStoreError, toStoreError, tailEngineOutput } from './StoreError.js';
export type { FailureContext, StoreOperation } from './StoreError.js';
export { acquireApplyLock, applyLockEndpoint, describeLockError, lockDirectory, lockFileFor } from './ApplyLock.js';
export type { AcquireApplyLockOptions, ApplyLock, LockError, LockHolder } from './ApplyLock.js';

// --- Image lifecycle (prefetch, publish, clean): pull with retries, push, untag, containers, registry HEAD. ---
export { headManifest, isPermanentRegistryError, describeRegistryError, manifestAccept, isLoopbackRegistry, parseBearerChallenge } from './registry.js';
export type { ManifestHead, HeadManifestOptions } from './registry.js';
export {
  pullImages,
  backoffDelay,
  isPermanentPullError,
  describePullError,
  defaultPullAttempts,
  defaultPullBaseDelayMs,
  defaultPullConcurrency,
  defaultPullTimeoutMs,
  defaultMaxDelayMs,
} from './pull.js';
export type { PullImagesOptions } from './pull.js';
export { pushImages, defaultPushConcurrency, defaultPushTimeoutMs } from './push.js';
export type { PushImagesOptions } from './push.js';
export { untagArgs } from './untag.js';
export { listContainers, inspectPlatforms, enginePlatform, platformMatches } from './containers.js';
