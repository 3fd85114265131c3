/**
 * Distinct names numbered in the order they were first added (slots 0, 1, 2, ...), found again by a name given in
 * two parts, `prefix + rest`, without building that string.
 *
 * Why not a `Map<string, number>`: the planner looks every snapshot name up among its families' names, and most
 * snapshot names are familiar (`team/app:1.0`) while the families' names are canonical
 * (`docker.io/team/app:1.0`). A Map finds a name only once the whole string is built and V8 has hashed it, and
 * V8's first hash of a string is the expensive part: on this machine 1M `Map.get` calls cost about 0.6 s with
 * fresh strings against 0.2 s with strings already hashed. This table hashes the parts where they stand (32-bit
 * FNV-1a over the characters), keeps each name's hash in its bucket so a probe that misses reads no string, and
 * compares a candidate with `startsWith`/`endsWith`. With it a 1M-name plan took 0.7x to 0.9x the CPU time of the
 * Map-based planner in paired runs (docs/performance.md, "Planning").
 */
export interface NameSlots {
  /** How many distinct names were added. */
  readonly size: () => number;
  /** The name in `slot` (a number `add` gave). */
  readonly name: (slot: number) => string;
  /** The slot of `name`, adding it when it is new. */
  readonly add: (name: string) => number;
  /** `add` for every name in turn, the slots into `added` (same index); faster on a large table, as `findMany`. */
  readonly addMany: (names: readonly string[], added: Uint32Array) => void;
  /** The slot of the name `prefix + rest`, or -1 when it was never added. */
  readonly find: (prefix: string, rest: string) => number;
  /**
   * `find` for many names at once: `found[i]` becomes the slot of `prefixes[i] + rests[i]` for every `i < count`.
   * Faster than one `find` after another on a table larger than the CPU's caches (see `nameSlots`).
   */
  readonly findMany: (prefixes: readonly string[], rests: readonly string[], count: number, found: Int32Array) => void;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

const hashOnto = (hash: number, text: string): number => {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
};

/** Names hashed and touched at once by the many-name operations: many misses in flight, few enough to stay cached. */
const BATCH = 64;

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
 * slots.name(0); // 'docker.io/library/redis:7'
 */
export const nameSlots = (expected: number): NameSlots => {
  const names: string[] = [];
  let mask = bucketsFor(expected) - 1;
  // One 32-bit word per bucket (0: empty): slot + 1 in the bits the mask covers, and above them the same high bits
  // of that name's hash, so a probe that misses reads no string. The bucket index is the hash's low bits, so the
  // word holds the whole hash of its name as far as a probe can tell (a false match, 1 in 2048 at a million
  // names, only costs a string comparison). At most half the buckets are used, so slot + 1 fits under the mask.
  // Packed this way a 600k-name table is 8 MiB instead of 16 (slot and hash side by side), less of a cache the
  // machine's cores share. On its own that measured within the noise (paired 1M-name plans, median 0.90 of 4 at a
  // load average of 5); what cut the cost of its cache misses is looking names up in batches (`touch`).
  let buckets = new Uint32Array(mask + 1);

  const place = (slot: number, hash: number): void => {
    let b = hash & mask;
    while (buckets[b] !== 0) b = (b + 1) & mask;
    buckets[b] = ((hash & ~mask) | (slot + 1)) >>> 0;
  };

  const lookup = (hash: number, prefix: string, rest: string): number => {
    const length = prefix.length + rest.length;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const entry = buckets[b] as number;
      if (entry === 0) return -1;
      if (((entry ^ hash) & ~mask) !== 0) continue;
      const slot = (entry & mask) - 1;
      const name = names[slot] as string;
      if (name.length === length && name.startsWith(prefix) && name.endsWith(rest)) return slot;
    }
  };

  const addHashed = (name: string, hash: number): number => {
    const found = lookup(hash, '', name);
    if (found >= 0) return found;
    const slot = names.length;
    names.push(name);
    if (names.length * 2 > mask + 1) {
      // More names than expected: twice the buckets, every name placed again.
      mask = bucketsFor(names.length * 2) - 1;
      buckets = new Uint32Array(mask + 1);
      names.forEach((known, at) => place(at, hashOnto(FNV_OFFSET, known)));
    } else {
      place(slot, hash);
    }
    return slot;
  };

  // What `touch` read, kept so the compiler cannot drop those reads (never read back, hence the underscore).
  let _touched = 0;
  /**
   * Reads the first bucket of each of `count` hashes. The many-name operations hash a batch of names, touch their
   * buckets, then look each up: a bucket of a large table is a cache miss (a 600k-name table is 8 MiB and a probe
   * lands anywhere in it), and here nothing waits for one read before the next, so the CPU has many misses in
   * flight at once where a lookup right after each hash waits for its miss alone. The lookups then find their
   * buckets in the cache.
   */
  const touch = (hashes: Int32Array, count: number): void => {
    let any = 0;
    for (let i = 0; i < count; i++) any |= buckets[(hashes[i] as number) & mask] as number;
    _touched ^= any;
  };

  return {
    size: () => names.length,
    name: (slot) => names[slot] as string,
    add: (name) => addHashed(name, hashOnto(FNV_OFFSET, name)),
    addMany: (many, added) => {
      const hashes = new Int32Array(Math.min(BATCH, many.length));
      for (let start = 0; start < many.length; start += BATCH) {
        const count = Math.min(BATCH, many.length - start);
        for (let i = 0; i < count; i++) hashes[i] = hashOnto(FNV_OFFSET, many[start + i] as string);
        touch(hashes, count);
        for (let i = 0; i < count; i++) added[start + i] = addHashed(many[start + i] as string, hashes[i] as number);
      }
    },
    find: (prefix, rest) => lookup(hashOnto(hashOnto(FNV_OFFSET, prefix), rest), prefix, rest),
    findMany: (prefixes, rests, count, found) => {
      for (let i = 0; i < count; i++) found[i] = hashOnto(hashOnto(FNV_OFFSET, prefixes[i] as string), rests[i] as string);
      touch(found, count);
      for (let i = 0; i < count; i++) found[i] = lookup(found[i] as number, prefixes[i] as string, rests[i] as string);
    },
  };
};
