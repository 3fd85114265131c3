import { describe, expect, test as plainTest } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import { nameSlots } from '../src/NameSlots.js';

describe('nameSlots', () => {
  plainTest('numbers names in the order first added and finds them by any split into prefix and rest', () => {
    const slots = nameSlots(2);
    expect(slots.add('docker.io/library/redis:7')).toBe(0);
    expect(slots.add('localhost/redis:7')).toBe(1);
    expect(slots.add('docker.io/library/redis:7')).toBe(0);
    expect(slots.size()).toBe(2);
    expect(slots.name(1)).toBe('localhost/redis:7');
    expect(slots.find('docker.io/library/', 'redis:7')).toBe(0);
    expect(slots.find('', 'docker.io/library/redis:7')).toBe(0);
    expect(slots.find('docker.io/', 'library/redis:7')).toBe(0);
    expect(slots.find('', 'localhost/redis:7')).toBe(1);
    expect(slots.find('docker.io/library/', 'redis:8')).toBe(-1);
    // same parts, other split: the whole name is what counts
    expect(slots.find('docker.io/library/redis', ':7x')).toBe(-1);
    expect(slots.find('', '')).toBe(-1);
  });

  // Short names over a tiny alphabet collide in the hash's low bits often, so probing and growth are exercised.
  const nameArb = fc.string({ unit: fc.constantFrom('a', 'b', '/', ':'), maxLength: 6 });

  test.prop([fc.array(nameArb, { maxLength: 300 }), fc.array(nameArb, { maxLength: 50 }), fc.nat({ max: 400 })], { numRuns: 300 })(
    'agrees with a Map of name -> first slot, however small the expected size',
    (added, probes, expected) => {
      const slots = nameSlots(expected);
      const reference = new Map<string, number>();
      for (const name of added) {
        if (!reference.has(name)) reference.set(name, reference.size);
        expect(slots.add(name)).toBe(reference.get(name));
      }
      expect(slots.size()).toBe(reference.size);
      for (const [name, slot] of reference) expect(slots.name(slot)).toBe(name);
      for (const name of [...added, ...probes]) {
        for (let cut = 0; cut <= name.length; cut++) {
          expect(slots.find(name.slice(0, cut), name.slice(cut))).toBe(reference.get(name) ?? -1);
        }
      }
      // findMany gives what find gives, name by name; entries past `count` are left alone.
      const all = [...added, ...probes];
      const cuts = all.map((name, i) => i % (name.length + 1));
      const found = new Int32Array(all.length + 1).fill(7);
      slots.findMany(all.map((name, i) => name.slice(0, cuts[i])), all.map((name, i) => name.slice(cuts[i])), all.length, found);
      expect([...found]).toEqual([...all.map((name) => reference.get(name) ?? -1), 7]);
      // addMany numbers names as add one after another does, also when it grows the table on the way.
      const many = nameSlots(expected);
      const manySlots = new Uint32Array(added.length);
      many.addMany(added, manySlots);
      expect([...manySlots]).toEqual(added.map((name) => reference.get(name)));
      expect(many.size()).toBe(reference.size);
    },
  );
});
