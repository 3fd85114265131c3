/** The engine variables jest.config.js sets for every test (see engineGuard.mjs). */
export declare const engineGuard: Readonly<{
  DOCKER_HOST: string;
  CONTAINER_HOST: string;
  CONTAINERD_ADDRESS: string;
}>;
/** The engine variables jest.config.js removes for every test. */
export declare const engineGuardUnset: readonly string[];
/** Applies the guard to `env` (default `process.env`). */
export declare const guardEngineEnvironment: (env?: Record<string, string | undefined>) => void;
