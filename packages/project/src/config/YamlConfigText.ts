import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { quoteExcerpt } from '@imgalias/core/internal';
import { DUPLICATE_KEY_MESSAGE, findDuplicateKey } from '@imgalias/discover';
import type { ConfigError } from './ConfigError.js';
import { unparsableConfig } from './ConfigError.js';

/**
 * A YAML config file's text as plain data. In a module of its own so that the YAML parser loads only when a YAML
 * file is read (`parseConfigText` imports it then): a run with a JSON config file, or none, never loads it.
 */
export function parseYamlConfigText(file: string, text: string): Either<ConfigError, unknown> {
  try {
    // yaml's default (YAML 1.2 core schema) builds plain data only. Duplicate keys are an error, not a silent
    // overwrite, but the library's own check is quadratic in a mapping's size: findDuplicateKey is one pass.
    const doc = parseDocument(text, { uniqueKeys: false });
    const [error] = doc.errors;
    if (error !== undefined) throw error;
    const duplicate = findDuplicateKey(doc);
    if (duplicate !== undefined) {
      return left({ _tag: 'ConfigFileUnreadable', file, message: `not valid YAML: ${DUPLICATE_KEY_MESSAGE} (${quoteExcerpt(duplicate.key)} twice)` });
    }
    return right(doc.toJS());
  } catch (cause) {
    return left(unparsableConfig(file, 'YAML', cause));
  }
}
