import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { describeDiscoveryFinding, describeTextFileProblem, inputLimits, parseDotEnv, readTextFile } from '@imgalias/discover';
import type { ConfigError } from './ConfigError.js';

/** The values of the working directory's `.env`, and the file they came from (for `SettingSource`). */
export interface DotEnvFile {
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Reads `.env` as data with discover's parser: nothing in it is executed, sourced or expanded. A missing file is
 * no `.env`; a line that does not parse is an error, because the line might be the one that sets the mode.
 */
export async function readDotEnv(file: string): Promise<Either<ConfigError, DotEnvFile | undefined>> {
  const read = await readTextFile(file, { maxBytes: inputLimits.projectFileBytes, maxLineBytes: inputLimits.lineBytes });
  if (read._tag === 'Missing') return right(undefined);
  if (read._tag !== 'Text') return left({ _tag: 'ConfigFileUnreadable', file, message: describeTextFileProblem(read) });
  const parsed = parseDotEnv(read.text, { file });
  if (parsed.findings.length > 0) {
    return left({
      _tag: 'ConfigFileInvalid',
      file,
      errors: parsed.findings.map((finding) => ({
        path: 'line' in finding ? `line ${finding.line}` : '(file)',
        message: 'detail' in finding ? finding.detail : describeDiscoveryFinding(finding),
      })),
    });
  }
  return right({ file, values: Object.fromEntries(parsed.env) });
}
