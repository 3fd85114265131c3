import { describe, expect } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import { describeConfigError, decodeConfig, parseJsonConfigText } from '../../src/config/loadSettings.js';
import { parseYamlConfigText } from '../../src/config/YamlConfigText.js';
import { expectPrintableMessage, textFrom, withinBound } from '../../../../test-support/fuzz.js';

/**
 * The config reader gets whatever a file holds. Whatever the text, it returns a value or a typed
 * error within a time bound, never throws (a throw is exit 70), and the error's message is bounded and printable.
 */
const runs = { numRuns: 200, seed: 8_020_802 };

const yamlTokens = [
  'mode: ', 'harbor: ', 'harborLayout: ', 'images:\n', '  - ', 'buildArgs:\n', '  TAG: ', 'probes:\n', '  timeoutMs: ', 'prefetch:\n',
  '  mirrors: ', 'concurrency: ', '__proto__: ', 'constructor: ', 'toString: ', 'hasOwnProperty: ', '"', "'", '{', '}', '[', ']',
  ': ', ', ', '\n', '  ', '&a ', '*a', '<<: *a\n', '!!binary ', '!!js/function ', '7.10', 'internal', 'external', 'auto',
  'harbor.corp.local/proj', 'redis:7', 'Redis:7', '-1', '0', '1e999', 'null', '~', '---\n', '#', '? ',
];

const jsonTokens = [
  '{', '}', '[', ']', '"mode"', '"images"', '"buildArgs"', '"probes"', '"__proto__"', '"constructor"', '"toString"', ':', ',',
  '"internal"', '"redis:7"', '"Redis:7"', '1', '-1', '1e999', 'true', 'null', '"\\u001b]0;x\\u0007"', '"\\ud800"', ' ', '\n',
];

/** A JSON value with the keys a hostile config file would use, at any depth fast-check picks. */
const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'mode', 'images', 'buildArgs', 'probes', 'prefetch', 'x'.repeat(5000));
const hostileValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKeys, fc.string()), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const expectTypedConfigError = (result: ReturnType<typeof decodeConfig> | ReturnType<typeof parseJsonConfigText>): void => {
  if (result._tag === 'Left') {
    expect(['ConfigFileUnreadable', 'ConfigFileInvalid']).toContain(result.left._tag);
    expectPrintableMessage(describeConfigError(result.left));
  }
};

describe('fuzzing the config reader', () => {
  test.prop([textFrom(yamlTokens), fc.constantFrom('imgalias.config.yaml', 'imgalias.config.yml')], runs)(
    'YAML text: a configuration or a typed error, bounded, never a throw',
    (text, file) => {
      const parsed = withinBound(() => parseYamlConfigText(file, text));
      expectTypedConfigError(parsed);
      if (parsed._tag === 'Right') expectTypedConfigError(withinBound(() => decodeConfig(file, parsed.right)));
    },
  );

  test.prop([textFrom(jsonTokens)], runs)('JSON text: a configuration or a typed error, bounded, never a throw', (text) => {
    const parsed = withinBound(() => parseJsonConfigText('imgalias.config.json', text));
    expectTypedConfigError(parsed);
    if (parsed._tag === 'Right') expectTypedConfigError(withinBound(() => decodeConfig('imgalias.config.json', parsed.right)));
  });

  test.prop([fc.dictionary(fc.oneof(hostileKeys, fc.string()), hostileValue, { maxKeys: 6 })], runs)(
    'parsed content with keys such as __proto__ and constructor: a typed error, never a throw',
    (content) => {
      // JSON.parse makes `__proto__` an own key; build the same shape without going through a prototype setter.
      const own = JSON.parse(JSON.stringify(content)) as unknown;
      expectTypedConfigError(withinBound(() => decodeConfig('imgalias.config.json', own)));
    },
  );
});
