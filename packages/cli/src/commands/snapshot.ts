import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { SnapshotCodec } from '@imgalias/core';
import { CliError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';

/**
 * `imgalias snapshot`: the engine's image store as the core's Snapshot JSON, for review or for `--snapshot FILE`.
 * The simplest complete command; the others follow the same steps: settings, output, store, work, exit code.
 */
export const snapshotCommand: CommandSpec = {
  name: 'snapshot',
  summary: "print the engine's image store as JSON, for review or for --snapshot FILE",
  options: [option.config, ...group.engine],
  display: false,
  run: async (context, { flags }) => {
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const output = context.output(settings.right);
    const store = await context.openStore(settings.right);
    if (isLeft(store)) return store;
    const snapshot = await store.right.snapshot();
    if (isLeft(snapshot)) return left(CliError.store(snapshot.left));
    output.print(JSON.stringify(SnapshotCodec.encode(snapshot.right), null, 2));
    return right(ExitCode.ok);
  },
};
