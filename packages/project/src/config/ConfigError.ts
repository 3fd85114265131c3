import path from 'node:path';
import { excerpt, quoteExcerpt } from '@imgalias/core/internal';
import type { ConfigIssue } from './ConfigFile.js';
import type { SettingSource } from './Settings.js';

/** Why settings could not be loaded. Every one of these exits 2 with nothing changed. */
export type ConfigError =
  | { readonly _tag: 'ConfigFileUnreadable'; readonly file: string; readonly message: string }
  | { readonly _tag: 'ConfigFileInvalid'; readonly file: string; readonly errors: readonly ConfigIssue[] }
  | {
      readonly _tag: 'InvalidOption';
      readonly option: string;
      readonly value: string;
      readonly message: string;
      /** Where the value was given; absent for conflicts between flags. */
      readonly source?: SettingSource;
    };

const where = (source: SettingSource | undefined): string => {
  switch (source?.kind) {
    case 'env':
      return ' in the environment';
    case 'dotenv':
    case 'config':
      return ` in ${source.file}`;
    default:
      return '';
  }
};

/** What went wrong, where, and what to do; multi-line for a config file with several bad paths. */
export function describeConfigError(e: ConfigError): string {
  switch (e._tag) {
    case 'ConfigFileUnreadable':
      return `cannot read ${e.file}: ${e.message}\nNothing was changed. Fix or remove the file (see docs/configuration.md).`;
    case 'ConfigFileInvalid':
      return [
        // A .env is read as settings too (the mode, the Harbor location), but it is not a config file.
        `${e.file} ${path.basename(e.file) === '.env' ? 'has lines imgalias cannot read as KEY=value' : 'is not a valid imgalias configuration'} (${e.errors.length} ${e.errors.length === 1 ? 'problem' : 'problems'}):`,
        ...e.errors.map((issue) => `  ${issue.path}: ${issue.message}`),
        'Nothing was changed. Fix these entries (see docs/configuration.md) and run again.',
      ].join('\n');
    case 'InvalidOption':
      return `invalid ${e.option} ${quoteExcerpt(e.value)}${where(e.source)}: ${e.message}\nNothing was changed.`;
  }
}

/** A file-system or parser error as one line: `no such file`, `permission denied`, or the parser's first line. */
/** A config file whose text is not valid JSON or YAML. */
export function unparsableConfig(file: string, format: 'JSON' | 'YAML', cause: unknown): ConfigError {
  // The YAML parser recurses: a document nested some 100k levels deep overflows the stack.
  const why = cause instanceof RangeError ? 'nested too deeply to read' : excerpt(describeFileError(cause));
  return { _tag: 'ConfigFileUnreadable', file, message: `not valid ${format}: ${why}` };
}

export function describeFileError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
