// The engines the end-to-end suites run the built CLI on: a private dockerd and a private podman store, each
// started by the suite (test-support/engines.ts). With CI=true an engine that cannot start fails the suite;
// elsewhere the suite runs on the engines that did start.
import { describe } from '@jest/globals';
import type { TestEngine } from '../../../../../test-support/engines.js';
import { createPodmanStore, engineCli, requireEngine, startDockerd } from '../../../../../test-support/engines.js';

/** A private docker and a private podman, those that started. */
export const dockerAndPodman = async (): Promise<readonly TestEngine[]> =>
  [await requireEngine('docker', startDockerd), await requireEngine('podman', () => createPodmanStore())].filter(
    (engine): engine is TestEngine => engine !== undefined,
  );

/** `describe.each` over the engines (title with `%s` for the engine's kind); jest refuses an empty table, so none is declared without one. */
export const describeEachEngine = (engines: readonly TestEngine[], title: string, body: (kind: TestEngine['kind'], engine: TestEngine) => void): void => {
  if (engines.length === 0) return;
  describe.each(engines.map((engine) => [engine.kind, engine] as const))(title, body);
};

/** An image's id as the engine's CLI reports it, without `sha256:`. */
export const idOf = async (engine: TestEngine, name: string): Promise<string> =>
  (await engineCli(engine, ['image', 'inspect', '--format', '{{.Id}}', name])).trim().replace(/^sha256:/, '');
