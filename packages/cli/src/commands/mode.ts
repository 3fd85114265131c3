import { isLeft, right } from 'fp-ts/lib/Either.js';
import { formatMirrorRule } from '@imgalias/core';
import { ANY_ORIGIN } from '@imgalias/core/internal';
import type { ModeResolution, Settings, SourcedMirrorRule } from '@imgalias/project/internal';
import { describeConfigFile, describeModeResolution, describeSettingSource } from '@imgalias/project/internal';
import { ExitCode } from '../ExitCode.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';
import { formatFor } from './formats.js';

/** The `--json` form of `imgalias mode`: a public interface, so it is built field by field. */
export const modeJson = (resolution: ModeResolution, settings?: Settings) => ({
  mode: resolution.mode,
  source: resolution.source,
  ...(resolution.probes === undefined ? {} : { probes: resolution.probes }),
  ...(settings === undefined ? {} : mirrorsJson(settings)),
  /** The config file the settings were read from; null when none was found. */
  config: settings?.configFile ?? null,
});

/** The mirror rules in force, `*` (from `--harbor`) included, each with where it came from; and the notes. */
const mirrorsJson = (settings: Settings) => {
  const rules = mirrorRulesInForce(settings);
  return {
    ...(rules.length === 0 ? {} : { mirrors: rules.map(({ value, source }) => ({ rule: formatMirrorRule(value), ...value, source })) }),
    ...(settings.mirrorNotes.length === 0 ? {} : { mirrorNotes: settings.mirrorNotes }),
  };
};

const mirrorRulesInForce = (settings: Settings): readonly SourcedMirrorRule[] => {
  const star = settings.mirrors.some((rule) => rule.value.origin === ANY_ORIGIN);
  return [
    ...settings.mirrors,
    ...(settings.harbor === undefined || star
      ? []
      : [{ value: { origin: ANY_ORIGIN, location: settings.harbor.value, layout: settings.harborLayout }, source: settings.harbor.source }]),
  ];
};

/** `imgalias mode`'s text after the mode line: one line per rule with its source, then the notes. */
const describeMirrors = (settings: Settings): string[] => {
  const rules = mirrorRulesInForce(settings);
  return [
    ...(rules.length === 0 ? [] : ['mirror rules (the rule for an image\'s registry, else *):']),
    ...rules.map(({ value, source }) => `  ${formatMirrorRule(value)}  (from ${describeSettingSource(source)})`),
    ...settings.mirrorNotes.map((note) => `note: ${note}`),
  ];
};

/** `imgalias mode`: the network mode the other commands would use, and which setting decided it. */
export const modeCommand: CommandSpec = {
  name: 'mode',
  summary: 'print the resolved network mode and where it came from, and which config file was read',
  options: [
    {
      flags: '--from <path>',
      description: 'settings as a command given --from PATH sees them: its config file when the working directory has none (repeatable)',
      repeatable: true,
    },
    option.config,
    ...group.mode,
  ],
  formats: ['text', 'json'],
  run: async (context, { flags }) => {
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const format = formatFor(settings.right, ['text', 'json'], 'mode');
    if (isLeft(format)) return format;
    const output = context.output(settings.right);
    const resolution = await context.resolveMode(settings.right);
    output.print(
      format.right === 'json'
        ? JSON.stringify(modeJson(resolution, settings.right), null, 2)
        : [describeModeResolution(resolution), ...describeMirrors(settings.right)].join('\n'),
    );
    // On stderr, so the answer on stdout stays what scripts read.
    if (format.right === 'text') output.note(describeConfigFile(settings.right));
    return right(ExitCode.ok);
  },
};
