/**
 * Loaded by jest.config.js, before any test worker starts, so every test and every process a test spawns
 * inherits it: the variables that choose a container daemon or store point at sockets nobody listens on.
 *
 * Engine options add to `process.env` (a name set to `undefined` removes it), so a DOCKER_HOST, DOCKER_CONTEXT or
 * CONTAINER_HOST in the environment jest was started from would otherwise reach every test that does not name
 * its engine; without any of them docker would talk to /var/run/docker.sock and podman to the default store.
 * With these, a test that forgets to give its private engine fails as "not reachable" instead of touching the
 * machine's own daemon. Tests name their engine with the `env` of test-support/engines.ts (which unsets
 * CONTAINER_HOST for a local podman store) or a dead socket of their own.
 */
export const engineGuard = Object.freeze({
  DOCKER_HOST: 'unix:///nonexistent/imgalias-test-guard/docker.sock',
  CONTAINER_HOST: 'unix:///nonexistent/imgalias-test-guard/podman.sock',
  CONTAINERD_ADDRESS: '/nonexistent/imgalias-test-guard/containerd.sock',
});

/**
 * Unset: each would choose a daemon, a context or TLS material of the machine's. DOCKER_CONFIG is unset rather
 * than pointed at nothing: podman push and pull fail when it names a directory without a config.json, and
 * with DOCKER_HOST set a docker context in ~/.docker is never consulted.
 */
export const engineGuardUnset = Object.freeze(['DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'CONTAINER_CONNECTION', 'CONTAINER_SSHKEY']);

export const guardEngineEnvironment = (env = process.env) => {
  for (const name of engineGuardUnset) delete env[name];
  Object.assign(env, engineGuard);
};
