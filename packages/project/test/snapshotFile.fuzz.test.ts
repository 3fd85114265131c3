import { describe, expect } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import { parseSnapshotText } from '../src/SnapshotFile.js';
import { describeProjectError } from '../src/ProjectError.js';
import { expectPrintableMessage, textFrom, withinBound } from '../../../test-support/fuzz.js';

/**
 * The snapshot reader gets whatever a file holds. Whatever the text, it returns a snapshot or a typed error within
 * a time bound, never throws (a throw is exit 70 in the CLI), and the error's message is bounded and printable. (The config
 * reader's fuzz test is in @imgalias/project.)
 */
const runs = { numRuns: 200, seed: 8_020_802 };

const snapshotTokens = [
  '{"version":1,"images":[', ']}', '{"id":"sha256:', 'a'.repeat(64), '","names":[', '"redis:7"', '"localhost/redis:7"', '"Redis:7"',
  ']}', '{', '}', '[', ']', ',', ':', '"', '"version"', '"images"', '"id"', '"names"', '2', 'null', '"\\u001b[2J"', '"__proto__"',
];

describe('fuzzing the snapshot reader', () => {
  test.prop([fc.oneof(textFrom(snapshotTokens), fc.json(), fc.json().map((json) => `{"version":1,"images":[${json}]}`))], runs)(
    'a snapshot or a typed error, bounded, never a throw',
    (text) => {
      const result = withinBound(() => parseSnapshotText('snapshot.json', text));
      if (result._tag === 'Left') {
        expect(['SnapshotFileUnreadable', 'SnapshotFileInvalid']).toContain(result.left._tag);
        expectPrintableMessage(describeProjectError(result.left));
      } else {
        expect(result.right.snapshot.version).toBe(1);
      }
    },
  );
});
