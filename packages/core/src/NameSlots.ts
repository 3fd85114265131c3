/**
 * Distinct names numbered in the order they were first added (slots 0, 1, 2, ...), found again by a name given in
 * two parts, `prefix + rest`, without building that string.
 *
 * Why not a `Map<string, number>`: the planner looks every snapshot name up among its families' names, and most
 * snapshot names are familiar (`team/app:1.0`) while the families' names are canonical
 * (`docker.io/team/app:1.0`). A Map finds a name only once the whole string is built and V8 has hashed it, and
 * V8's first hash of a string is the expensive part: on this machine 1M `Map.get` calls cost about 0.6 s with
 * fresh strings against 0.2 s with strings already hashed. This table hashes the parts where they stand (32-bit
 * FNV-1a over the characters), keeps each name's hash beside its slot so a probe that misses reads no string, and
 * compares a candidate with `startsWith`/`endsWith`. With it a 1M-name plan took 0.7x to 0.9x the CPU time of the
 * Map-based planner in paired runs (docs/performance.md, "Planning").
 */
export interface NameSlots {
  /** How many distinct names were added. */
  readonly size: () => number;
  /** The slot of `name`, adding it when it is new. */
  readonly add: (name: string) => number;
  /** The slot of the name `prefix + rest`, or -1 when it was never added. */
  readonly find: (prefix: string, rest: string) => number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

const hashOnto = (hash: number, text: string): number => {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
};

/** At most half the buckets are used, so a probe that misses ends after about two buckets. */
const bucketsFor = (names: number): number => {
  let buckets = 16;
  while (buckets < names * 2) buckets *= 2;
  return buckets;
};

/**
 * An empty table sized for `expected` names (it grows past that when needed).
 *
 * @example
 * const slots = nameSlots(2);
 * slots.add('docker.io/library/redis:7'); // 0
 * slots.find('docker.io/library/', 'redis:7'); // 0
 * slots.find('', 'localhost/redis:7'); // -1
 */
export const nameSlots = (expected: number): NameSlots => {
  const names: string[] = [];
  let mask = bucketsFor(expected) - 1;
  // Bucket b holds slot + 1 at [2b] (0: empty) and that name's hash at [2b + 1]: one cache line per probe.
  let buckets = new Int32Array((mask + 1) * 2);

  const place = (slot: number, hash: number): void => {
    let b = hash & mask;
    while (buckets[b * 2] !== 0) b = (b + 1) & mask;
    buckets[b * 2] = slot + 1;
    buckets[b * 2 + 1] = hash;
  };

  const lookup = (hash: number, prefix: string, rest: string): number => {
    const length = prefix.length + rest.length;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const entry = buckets[b * 2] as number;
      if (entry === 0) return -1;
      if (buckets[b * 2 + 1] !== hash) continue;
      const name = names[entry - 1] as string;
      if (name.length === length && name.startsWith(prefix) && name.endsWith(rest)) return entry - 1;
    }
  };

  return {
    size: () => names.length,
    add: (name) => {
      const hash = hashOnto(FNV_OFFSET, name);
      const found = lookup(hash, '', name);
      if (found >= 0) return found;
      const slot = names.length;
      names.push(name);
      if (names.length * 2 > mask + 1) {
        // More names than expected: twice the buckets, every name placed again.
        mask = bucketsFor(names.length * 2) - 1;
        buckets = new Int32Array((mask + 1) * 2);
        names.forEach((known, at) => place(at, hashOnto(FNV_OFFSET, known)));
      } else {
        place(slot, hash);
      }
      return slot;
    },
    find: (prefix, rest) => lookup(hashOnto(hashOnto(FNV_OFFSET, prefix), rest), prefix, rest),
  };
};
