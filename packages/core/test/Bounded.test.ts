import { describe, expect, test } from '@jest/globals';
import { fc, test as propTest } from '@fast-check/jest';
import { mapBounded } from '../src/Bounded.js';

/** Work that stays in flight for a few microtask turns, counting how many items run at once. */
const counted = () => {
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const work = async (item: number, index: number): Promise<string> => {
    started.push(index);
    inFlight += 1;
    most = Math.max(most, inFlight);
    // A later item finishes first when its index is odd, so result order cannot come from completion order.
    for (let turn = 0; turn < (index % 2 === 0 ? 3 : 1); turn++) await Promise.resolve();
    inFlight -= 1;
    return `done ${item}`;
  };
  return { work, started, most: () => most };
};

describe('mapBounded', () => {
  test('returns one result per item, in item order, whatever order they finish in', async () => {
    const { work } = counted();
    await expect(mapBounded([10, 11, 12, 13], { limit: 3 }, work, () => 'not started')).resolves.toEqual(['done 10', 'done 11', 'done 12', 'done 13']);
  });

  test.each([
    [1, 6, 1],
    [2, 6, 2],
    [4, 3, 3],
  ])('runs at most limit %i at once (%i items: %i at most)', async (limit, count, expected) => {
    const { work, most } = counted();
    await mapBounded(Array.from({ length: count }, (_, i) => i), { limit }, work, () => 'not started');
    expect(most()).toBe(expected);
  });

  test.each([0, -3, 0.5, Number.NaN])('a limit below one (%p) still runs the items, one at a time', async (limit) => {
    const { work, most } = counted();
    await expect(mapBounded([1, 2], { limit }, work, () => 'not started')).resolves.toEqual(['done 1', 'done 2']);
    expect(most()).toBe(1);
  });

  test('once stopped, no further item starts: each item never started gets notStarted(item, index)', async () => {
    const { work, started } = counted();
    const results = await mapBounded(
      ['a', 'b', 'c', 'd'].map((_, i) => i),
      { limit: 1, stopped: () => started.length >= 2 },
      work,
      (item, index) => `not started ${item}@${index}`,
    );
    expect(results).toEqual(['done 0', 'done 1', 'not started 2@2', 'not started 3@3']);
    expect(started).toEqual([0, 1]);
  });

  test('stopped from the start: nothing runs', async () => {
    const { work, started } = counted();
    await expect(mapBounded([1, 2, 3], { limit: 2, stopped: () => true }, work, () => 'skipped')).resolves.toEqual(['skipped', 'skipped', 'skipped']);
    expect(started).toEqual([]);
  });

  test('an empty list starts nothing', async () => {
    const { work, started } = counted();
    await expect(mapBounded([], { limit: 4 }, work, () => 'skipped')).resolves.toEqual([]);
    expect(started).toEqual([]);
  });

  propTest.prop([fc.array(fc.integer(), { maxLength: 30 }), fc.integer({ min: 1, max: 8 })])(
    'without a stop, equals mapping every item and never exceeds the limit',
    async (items, limit) => {
      const { work, most } = counted();
      const results = await mapBounded(items, { limit }, work, () => 'not started');
      expect(results).toEqual(items.map((item) => `done ${item}`));
      expect(most()).toBeLessThanOrEqual(limit);
    },
  );
});
