/**
 * Numbers strings in the order they are added and finds them again: an open-addressing hash
 * table (linear probing) over typed arrays. It exists for `Bindings`, which adds hundreds of
 * thousands of fresh values on large outputs; a `Map` costs about twice as much there.
 *
 * Entries are only removed last-in first-out (`pop`), which lets removal simply clear the slot:
 * every probe passes only the slots of older entries (an entry is placed after all older ones,
 * and growing keeps that order, see `#rehash`), so no remaining entry's probe ran through it.
 */
export class StringIndex {
  /**
   * The keys in entry order, in chunks of `CHUNK`: appending to one array of hundreds of thousands
   * of strings costs far more per key (the array is regrown and copied, in the large-object
   * space, and every young key it holds is remembered) than filling short arrays.
   */
  #chunks: string[][] = [];
  #count = 0;
  #hashes = new Int32Array(8);
  /**
   * Two numbers per slot: entry number + 1 (0: empty), then that entry's hash, so a probe reads
   * one place in memory, not three (slot, hash, key) — lookups of fresh values in large tables
   * are bound by cache misses. Kept at most half full.
   */
  #slots = new Int32Array(32);
  /** Slot count - 1. */
  #mask = 15;
  // The hash of the last key looked up, so `add` right after a failed `find` does not hash twice.
  #lastKey: string | undefined;
  #lastHash = 0;

  /** Number of entries. */
  get size(): number {
    return this.#count;
  }

  /** The entry number of `key`, or -1. */
  find(key: string): number {
    const h = hashString(key);
    this.#lastKey = key;
    this.#lastHash = h;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[2 * i]! - 1;
      if (e < 0) return -1;
      if (slots[2 * i + 1] === h && this.keyAt(e) === key) return e;
    }
  }

  /**
   * The last entry numbered `key` below `limit`, or -1. A key may be added more than once (a real
   * value taken over in a later scope); `find` gives the first, this the last.
   */
  findLast(key: string, limit = this.#count): number {
    const h = hashString(key);
    this.#lastKey = key;
    this.#lastHash = h;
    const slots = this.#slots;
    const mask = this.#mask;
    let last = -1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[2 * i]! - 1;
      if (e < 0) return last;
      if (e > last && e < limit && slots[2 * i + 1] === h && this.keyAt(e) === key) last = e;
    }
  }

  /** Adds `key` as the next entry (a key already present is added again; see `findLast`); returns its number. */
  add(key: string): number {
    const e = this.#count;
    const h = key === this.#lastKey ? this.#lastHash : hashString(key);
    if (e === this.#hashes.length) {
      const grown = new Int32Array(e * 2);
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    this.#hashes[e] = h;
    if ((e & CHUNK_MASK) === 0) this.#chunks.push([]);
    this.#chunks[e >>> CHUNK_BITS]!.push(key);
    this.#count = e + 1;
    if (this.#count * 2 > this.#mask + 1) this.#rehash((this.#mask + 1) * 2);
    this.#place(e, h);
    return e;
  }

  /** The key of entry `e`. */
  keyAt(e: number): string {
    return this.#chunks[e >>> CHUNK_BITS]![e & CHUNK_MASK]!;
  }

  /** The keys of entries `from` up to `to` (exclusive), in entry order (a copy). */
  keysFrom(from: number, to = this.#count): string[] {
    const out = new Array<string>(Math.max(0, to - from));
    for (let e = from; e < to; e++) out[e - from] = this.keyAt(e);
    return out;
  }

  /** Removes the last entry. */
  pop(): void {
    const e = this.#count - 1;
    if (e < 0) return;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = this.#hashes[e]! & mask; ; i = (i + 1) & mask) {
      if (slots[2 * i] === e + 1) {
        slots[2 * i] = 0;
        slots[2 * i + 1] = 0;
        break;
      }
    }
    const chunk = this.#chunks[e >>> CHUNK_BITS]!;
    chunk.pop();
    if (chunk.length === 0) this.#chunks.pop();
    this.#count = e;
    this.#lastKey = undefined;
  }

  /** An independent copy of the first `n` entries. */
  clonePrefix(n: number): StringIndex {
    const c = this.clone();
    while (c.size > n) c.pop();
    return c;
  }

  /** An independent copy. */
  clone(): StringIndex {
    const c = new StringIndex();
    c.#chunks = this.#chunks.map((chunk) => chunk.slice());
    c.#count = this.#count;
    c.#hashes = this.#hashes.slice();
    c.#slots = this.#slots.slice();
    c.#mask = this.#mask;
    return c;
  }

  #place(e: number, h: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = h & mask;
    while (slots[2 * i] !== 0) i = (i + 1) & mask;
    slots[2 * i] = e + 1;
    slots[2 * i + 1] = h;
  }

  /**
   * Re-places every entry in a table of `size` slots, walking the old table in slot order: a
   * walk in entry order jumps around the table (a cache miss per entry on large tables), this
   * one reads the old table in order and writes two regions of the new one almost in order. The
   * walk starts after an empty slot, so no cluster wraps around it: each cluster is met in probe
   * order, and an entry placed before another on its probe is older, as re-adding in entry order
   * would place them. That keeps `pop` (a cleared slot) and `find` (the first entry of a key)
   * right; test/normalise/string-index.test.ts checks both across growths.
   */
  #rehash(size: number): void {
    const old = this.#slots;
    const oldMask = this.#mask;
    const slots = new Int32Array(2 * size);
    const mask = size - 1;
    // The table is at most half full, so there is an empty slot.
    let start = 0;
    while (old[2 * start] !== 0) start++;
    for (let n = 1; n <= oldMask + 1; n++) {
      const from = (start + n) & oldMask;
      const v = old[2 * from]!;
      if (v === 0) continue;
      const h = old[2 * from + 1]!;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = v;
      slots[2 * i + 1] = h;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

const CHUNK_BITS = 12;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/** FNV-1a over UTF-16 code units, with a final mix so the low bits (the slot) depend on every character. */
export function hashString(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
