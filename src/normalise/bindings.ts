import { findClass } from './classes.ts';
import { normaliseLine } from './normalise.ts';
import { StringIndex } from './string-index.ts';
import { tokenizeLine, tokenizeLineShared, type NormaliseContext, type Token } from './tokenize.ts';

/**
 * How a binding came to be. `learned` bindings come from matching output; the others are fixed
 * before any output is seen, and their actual values can never be taken by another example:
 * `typed` — a value a command typed literally (bound to itself: it is what really ran);
 * `pinned` — a lab.yaml `pin` value or a constant address (bound to itself);
 * `computed` — a lab.yaml `bindings` value computed by the runner.
 */
export type BindingHow = 'learned' | 'typed' | 'pinned' | 'computed';

const HOWS: readonly BindingHow[] = ['learned', 'typed', 'pinned', 'computed'];
const LEARNED = HOWS.indexOf('learned');
const COMPUTED = HOWS.indexOf('computed');

/** What is known about one binding. */
export interface BindingInfo {
  /** The actual value the example stands for in this run. */
  actual: string;
  /** Class of the token that made it (`binding` for lab.yaml bindings). */
  cls: string;
  /** Where it was made, e.g. `02-services.mdx:48`, for notes like "bound earlier at …". */
  origin?: string;
  /** How it was made. @default 'learned' */
  how: BindingHow;
}

/** `bindPair`: the pair was new and is now bound. */
export const BIND_MADE = 1;
/** `bindPair`: the example was already bound to this actual value, by this instance. */
export const BIND_AGREED = 0;
/**
 * `bindPair`: the example was already bound to this actual value before this instance was
 * created, forked or last adopted (what a match's fork relied on from the run so far).
 */
export const BIND_INHERITED = 2;
/** `bindPair`: refused (see `conflictOf`). */
export const BIND_CONFLICT = -1;
/** What `bindPair` did. */
export type BindOutcome = typeof BIND_MADE | typeof BIND_AGREED | typeof BIND_INHERITED | typeof BIND_CONFLICT;

/**
 * Bindings as two parallel lists in binding order: `examples[k]` stands for `actuals[k]`. What a
 * match hands over instead of a record: large outputs make hundreds of thousands of pairs, and
 * building an object with that many keys costs as much as the whole match.
 */
export interface BindingPairs {
  readonly examples: readonly string[];
  readonly actuals: readonly string[];
}

/** No pairs. */
export const NO_PAIRS: BindingPairs = Object.freeze({ examples: Object.freeze([]) as readonly string[], actuals: Object.freeze([]) as readonly string[] });

/** Adds pairs to a record (example → actual), later pairs winning; returns the record. */
export function addPairs(into: Record<string, string>, pairs: BindingPairs): Record<string, string> {
  const { examples, actuals } = pairs;
  for (let k = 0; k < examples.length; k++) into[examples[k]!] = actuals[k]!;
  return into;
}

/** Why `tryBind` would refuse a pair (contract §5 rule 2). */
export type BindingConflict =
  /** The example already stands for another actual value. */
  | { kind: 'example-bound'; example: string; actual: string; info: BindingInfo }
  /** The actual value is already what another example stands for. */
  | { kind: 'actual-taken'; example: string; actual: string; other: string; info: BindingInfo };

/**
 * Storage shared by forks. Entry `k` is example `fwd.keyAt(k)` bound to actual `rev.keyAt(k)`,
 * with its class, origin, how and scope in `meta` (see `COLUMNS`). Entries are only ever added
 * and removed at the end, so they stay in binding order, and each Bindings sees a prefix of them
 * (its `size`): the instance whose prefix is the whole storage appends in place, and the entries
 * it adds are invisible to the others, which see only their own prefix. A write that would change
 * a prefix another instance may see copies first.
 */
interface State {
  fwd: StringIndex;
  rev: StringIndex;
  /**
   * `COLUMNS` numbers per entry: its class name (in `CLASS_NAMES`), how it was made (in `HOWS`),
   * the scope (see `beginScope`) it was made in, and its origin (in `origins`; -1: none). Numbers
   * in a typed array, not four arrays of values: a large output adds hundreds of thousands of
   * entries, and growing ordinary arrays that long costs more than the hash lookups.
   */
  meta: Int32Array;
  /** Origins, each once per run of entries that share it (the tokens of one line share one). */
  origins: string[];
  /**
   * No instance but the one at the end of the storage sees entries from here on: the largest
   * prefix ever shared (by `fork` or `adopt`). Removing entries below it copies first.
   */
  shared: number;
  /** Never written in place (the state every empty Bindings starts from). */
  frozen: boolean;
}

/** Numbers per entry in `State.meta`, and their offsets. */
const COLUMNS = 4;
const CLS = 0;
const HOW = 1;
const SCOPE = 2;
const ORIGIN = 3;

/** Class names of bindings, numbered (a lab has a few dozen at most). */
const CLASS_NAMES: string[] = [];
const CLASS_IDS = new Map<string, number>();

// The last class looked up: a match binds runs of tokens of the same few classes.
let lastClass = '';
let lastClassId = -1;

function classId(name: string): number {
  if (name === lastClass && lastClassId >= 0) return lastClassId;
  let id = CLASS_IDS.get(name);
  if (id === undefined) {
    id = CLASS_NAMES.push(name) - 1;
    CLASS_IDS.set(name, id);
  }
  lastClass = name;
  lastClassId = id;
  return id;
}

/** Source of `Bindings` versions (see `adopt`). */
let nextVersion = 0;

/**
 * The bindings of a lab run (contract §5 rules 2–4): a one-to-one map from example values in the
 * docs to the actual values they stood for. The first match binds; later matches must agree;
 * two examples never share an actual value.
 *
 * "Never share" holds within a scope (the runner opens one per step). A real value that an
 * example *learned* in an earlier step may be taken by a new example in a later one: a cluster
 * hands a freed pod address to the next pod, and a later step's new pod is a new object. Typed,
 * pinned and computed values are never released: no other example may ever stand for them.
 *
 * Backtracking has two tools: `fork()` is O(1) copy-on-write (the first write on either side
 * copies), and `mark()`/`undo(mark)` roll back what was bound since the mark, in O(changes).
 * A binding is an entry in two string indexes and two arrays, no object: matches of large
 * outputs make hundreds of thousands.
 */
export class Bindings {
  #state: State;
  /** How many entries of the storage this instance sees. */
  #size = 0;
  /** Entries before this one were not made by this instance (see `made`). */
  #base = 0;
  /** The current scope (see `beginScope`). */
  #current = 0;
  /** Changes with every write; a fork keeps it until either side writes (see `adopt`). */
  #version = nextVersion++;

  /**
   * @param initial example → actual, e.g. lab.yaml bindings computed by the runner
   * @param origin where the initial values come from, for notes
   * @param how how they were made: lab.yaml bindings are `computed`; tests stand in for earlier
   *   matches with `learned`
   */
  constructor(initial?: Record<string, string> | Iterable<readonly [string, string]>, origin = 'lab.yaml bindings', how: BindingHow = 'computed') {
    if (!initial) {
      // Empty bindings start from the shared empty state: the first write makes their own.
      this.#state = EMPTY;
      return;
    }
    this.#state = emptyState();
    const pairs = Symbol.iterator in initial ? (initial as Iterable<readonly [string, string]>) : Object.entries(initial);
    for (const [example, actual] of pairs) this.bindPair(example, actual, 'binding', origin, how);
    this.#base = this.size;
  }

  /**
   * Binds values to themselves that must appear literally: lab.yaml `pin` values and constant
   * addresses. No example can then stand for them (contract §5 rule 4).
   */
  pinValues(values: Iterable<string>, origin = 'lab.yaml pin'): void {
    for (const v of values) this.bindPair(v, v, 'pin', origin, 'pinned');
    this.#base = this.size;
  }

  /**
   * A value a command typed literally, after substitution of earlier bindings: unless it already
   * is an example or an actual value, it is bound to itself, since that is what really ran. Later
   * output must show it as written, and no other example may stand for it.
   * @returns whether a binding was made
   */
  bindTyped(value: string, cls: string, origin: string): boolean {
    if (this.#find(value) >= 0 || this.#holder(value) >= 0) return false;
    return this.bindPair(value, value, cls, origin, 'typed') === BIND_MADE;
  }

  /**
   * Starts a new scope (the runner starts one per step): values learned in earlier scopes may be
   * taken by new examples from now on (see the class comment).
   */
  beginScope(): void {
    this.#current++;
    this.#version = nextVersion++;
  }

  /**
   * Changes whenever this instance's bindings change; a fork starts with its origin's. Equal
   * versions mean equal bindings, so a result computed from them (a substitution) still holds.
   */
  get version(): number {
    return this.#version;
  }

  /** Number of bindings. */
  get size(): number {
    return this.#size;
  }

  /** The actual value an example stands for, if bound. */
  get(example: string): string | undefined {
    const k = this.#find(example);
    return k < 0 ? undefined : this.#state.rev.keyAt(k);
  }

  has(example: string): boolean {
    return this.#find(example) >= 0;
  }

  /** Details of a binding: actual value, class, origin. */
  info(example: string): BindingInfo | undefined {
    const k = this.#find(example);
    return k < 0 ? undefined : this.#infoAt(k);
  }

  /** The example that stands for an actual value, if any (the latest, when a later scope took it over). */
  exampleOf(actual: string): string | undefined {
    const k = this.#state.rev.findLast(actual, this.#size);
    return k < 0 ? undefined : this.#state.fwd.keyAt(k);
  }

  /**
   * The entry of `example` among those this instance sees, or -1. An example is entered at most
   * once in a storage (an instance adds one only after looking it up in all it sees, and only at
   * the end of the storage), so an entry past this instance's prefix means it is not bound here.
   */
  #find(example: string): number {
    const k = this.#state.fwd.find(example);
    return k < this.#size ? k : -1;
  }

  /** Why binding `example` → `actual` would fail, or undefined when it would succeed. */
  conflictOf(example: string, actual: string): BindingConflict | undefined {
    const s = this.#state;
    const k = this.#find(example);
    if (k >= 0) return s.rev.keyAt(k) === actual ? undefined : { kind: 'example-bound', example, actual, info: this.#infoAt(k) };
    const other = this.#holder(actual);
    if (other >= 0) return { kind: 'actual-taken', example, actual, other: s.fwd.keyAt(other), info: this.#infoAt(other) };
    return undefined;
  }

  /** The entry whose example stands for `actual` and keeps it (not released by a later scope), or -1. */
  #holder(actual: string): number {
    const s = this.#state;
    const k = s.rev.findLast(actual, this.#size);
    if (k < 0) return -1;
    return s.meta[k * COLUMNS + HOW] === LEARNED && s.meta[k * COLUMNS + SCOPE]! < this.#current ? -1 : k;
  }

  /**
   * Binds `example` → `actual`, or checks an existing binding. Returns false when the example is
   * bound to another actual value, or the actual value is already bound from another example.
   * @param cls class name of the token, kept for notes
   * @param origin where the binding is made, e.g. `02-services.mdx:48`
   */
  tryBind(example: string, actual: string, cls: string, origin?: string): boolean {
    return this.bindPair(example, actual, cls, origin) !== BIND_CONFLICT;
  }

  /**
   * `tryBind` that also says whether the pair was new: `BIND_MADE`, `BIND_AGREED` (already bound
   * to the same value), `BIND_INHERITED` (already bound so before this instance's base: a fork
   * relying on its parent's binding) or `BIND_CONFLICT` (nothing changed; `conflictOf` says why).
   */
  bindPair(example: string, actual: string, cls: string, origin?: string, how: BindingHow = 'learned'): BindOutcome {
    const s = this.#state;
    const k = this.#find(example);
    if (k >= 0) return s.rev.keyAt(k) !== actual ? BIND_CONFLICT : k < this.#base ? BIND_INHERITED : BIND_AGREED;
    if (this.#holder(actual) >= 0) return BIND_CONFLICT;
    // In place when this instance sees the whole storage: the others see only their prefix.
    const w = !s.frozen && this.#size === s.fwd.size ? s : this.#copy(this.#size);
    const e = w.fwd.add(example);
    w.rev.add(actual);
    if ((e + 1) * COLUMNS > w.meta.length) {
      const grown = new Int32Array(Math.max(64, w.meta.length * 2));
      grown.set(w.meta);
      w.meta = grown;
    }
    const at = e * COLUMNS;
    w.meta[at + CLS] = classId(cls);
    w.meta[at + HOW] = how === 'learned' ? LEARNED : HOWS.indexOf(how);
    w.meta[at + SCOPE] = this.#current;
    w.meta[at + ORIGIN] = originId(w, origin);
    this.#size++;
    this.#version = nextVersion++;
    return BIND_MADE;
  }

  /**
   * A copy in O(1): it shares the storage, and neither side's later bindings are seen by the
   * other (the one that binds first appends in place; the other copies when it binds).
   */
  fork(): Bindings {
    const b = new Bindings();
    b.#state = this.#state;
    b.#size = this.#size;
    b.#base = this.#size;
    b.#current = this.#current;
    b.#version = this.#version;
    this.#share();
    return b;
  }

  /**
   * Whether this instance is a fork of `other` that neither has written to since: then an entry
   * below this instance's base (`BIND_INHERITED`) is exactly a binding `other` holds, for as long
   * as `other` is not written to.
   */
  inheritsFrom(other: Bindings): boolean {
    return this.#state === other.#state && this.#base === other.#size && this.#size === other.#size && this.#current === other.#current && this.#version === other.#version;
  }

  /**
   * Takes over the state of `other` (typically a fork that matched); marks taken before are void.
   * Adopting a fork that neither side wrote to since it was made changes nothing, not even what
   * counts as `made`.
   */
  adopt(other: Bindings): void {
    if (other === this || other.#version === this.#version) return;
    this.#state = other.#state;
    this.#size = other.#size;
    this.#current = other.#current;
    this.#version = other.#version;
    this.#base = this.#size;
    this.#share();
  }

  /** Records that another instance may now see this instance's prefix. */
  #share(): void {
    const s = this.#state;
    if (!s.frozen && s.shared < this.#size) s.shared = this.#size;
  }

  /** A point to `undo` back to. */
  mark(): number {
    return this.#size;
  }

  /** Removes every binding this instance made since `mark`. */
  undo(mark: number): void {
    const to = Math.max(mark, this.#base);
    if (to >= this.#size) return;
    const s = this.#state;
    const atEnd = !s.frozen && this.#size === s.fwd.size && to >= s.shared;
    this.#size = to;
    this.#version = nextVersion++;
    // Elsewhere, entries past `to` may be seen by another instance: this one just stops seeing
    // them (its next binding copies its prefix).
    if (!atEnd) return;
    for (let k = s.fwd.size; k > to; k--) {
      s.fwd.pop();
      s.rev.pop();
    }
    // `meta` past the entries is never read; `origins` may keep some that no entry names.
  }

  /** The pairs this instance bound itself since it was created, forked or last adopted (example → actual). */
  made(): Record<string, string> {
    return addPairs({}, this.madePairs());
  }

  /** `made` as pairs in binding order: two array copies, whatever the number of pairs. */
  madePairs(): BindingPairs {
    const { fwd, rev } = this.#state;
    if (this.#base >= this.#size) return NO_PAIRS;
    return { examples: fwd.keysFrom(this.#base, this.#size), actuals: rev.keysFrom(this.#base, this.#size) };
  }

  /** Example → actual pairs, in the order they were bound. */
  *entries(): IterableIterator<[string, string]> {
    const { fwd, rev } = this.#state;
    for (let k = 0; k < this.#size; k++) yield [fwd.keyAt(k), rev.keyAt(k)];
  }

  /** Example → actual, as stored in records. */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    const { fwd, rev } = this.#state;
    for (let k = 0; k < this.#size; k++) out[fwd.keyAt(k)] = rev.keyAt(k);
    return out;
  }

  /**
   * Rewrites a command (or a file's content) for this run (contract §5 rule 3): every bound
   * example value that appears as a whole token is replaced by its actual value —
   * `curl 10.111.148.30` runs against the real ClusterIP, `10.0.0.1` inside `10.0.0.12` is left
   * alone, and values never bound run as written. Volatile tokens are replaced whole or by their
   * bound parts (`18.185.35.194:31100` → `<bound address>:31100`); in literal text, runs of
   * `[\w.-]` that equal a bound example are replaced too (values of lab classes the command's
   * context does not recognise, like a bound port).
   */
  substitute(command: string, ctx: NormaliseContext): string {
    return this.substituteWithUses(command, ctx).text;
  }

  /**
   * `substitute`, also saying which bindings the text used (example → actual). Each token of the
   * text is looked up once, so the cost is linear in the text, whatever the number of bindings.
   */
  substituteWithUses(command: string, ctx: NormaliseContext): { text: string; used: Record<string, string> } {
    const used: Record<string, string> = {};
    if (this.size === 0) return { text: command, used };
    const text = command
      .split('\n')
      .map((line) => this.#substituteLine(line, ctx, used))
      .join('\n');
    return { text, used };
  }

  /**
   * Binds every value of a bindable class that `text` (a command as it ran, after substitution)
   * holds literally and that is neither an example nor an actual value yet, to itself (see
   * `bindTyped`); parts too (`10.0.0.1` of `10.0.0.1/24`).
   */
  bindTypedIn(text: string, ctx: NormaliseContext, origin: string): void {
    for (const line of text.split('\n')) {
      for (const t of tokenizeLineShared(line, ctx)) {
        if (t.cls === undefined) continue;
        const cls = findClass(ctx.classes, t.cls);
        if (!cls?.bind) continue;
        this.bindTyped(t.text, cls.name, origin);
        for (const part of cls.partsOf?.(t.text) ?? []) this.bindTyped(part, cls.name, origin);
      }
    }
  }

  /**
   * Whether substituting `command` gives the same text whatever else gets bound, as long as
   * nothing in `examples` does: every value substitution would look up in it (each volatile
   * token and its parts, each word of literal text, bare of a full stop) is bound already, and
   * so fixed, or is not among `examples`. The runner types a command ahead of the outputs
   * before it only when this holds for what those outputs could bind (see `addBindableExamples`).
   */
  substitutionIsFixed(command: string, ctx: NormaliseContext, examples: ReadonlySet<string>): boolean {
    if (examples.size === 0) return true;
    const open = (key: string) => examples.has(key) && !this.has(key);
    for (const line of command.split('\n')) {
      for (const t of tokenizeLineShared(line, ctx)) {
        if (t.cls === undefined) {
          for (const w of t.text.match(WORD) ?? []) if (open(w) || open(w.replace(/\.+$/, ''))) return false;
          continue;
        }
        if (open(t.text)) return false;
        for (const part of findClass(ctx.classes, t.cls)?.partsOf?.(t.text) ?? []) if (open(part)) return false;
      }
    }
    return true;
  }

  #substituteLine(line: string, ctx: NormaliseContext, used: Record<string, string>): string {
    let out = '';
    for (const t of tokenizeLineShared(line, ctx)) {
      if (t.cls === undefined) {
        out += t.text.replace(WORD, (w) => this.#wordValue(w, used));
        continue;
      }
      const whole = this.get(t.text);
      if (whole !== undefined) {
        if (whole !== t.text || this.#isFromRun(t.text)) used[t.text] = whole;
        out += whole;
        continue;
      }
      let text = t.text;
      for (const part of findClass(ctx.classes, t.cls)?.partsOf?.(t.text) ?? []) {
        const actual = this.get(part);
        if (actual === undefined) continue;
        used[part] = actual;
        // Dashed addresses bind their dotted form; substitute in the token's own spelling.
        text = text.includes(part) ? text.replace(part, actual) : text.replace(part.replaceAll('.', '-'), actual.replaceAll('.', '-'));
      }
      out += text;
    }
    return out;
  }

  #wordValue(word: string, used: Record<string, string>): string {
    const actual = this.get(word);
    if (actual !== undefined) {
      used[word] = actual;
      return actual;
    }
    // A sentence's full stop is not part of the value.
    const bare = word.replace(/\.+$/, '');
    const bareActual = bare !== word ? this.get(bare) : undefined;
    if (bareActual === undefined) return word;
    used[bare] = bareActual;
    return bareActual + word.slice(bare.length);
  }

  #isFromRun(example: string): boolean {
    const k = this.#find(example);
    if (k < 0) return false;
    const how = this.#state.meta[k * COLUMNS + HOW];
    return how === LEARNED || how === COMPUTED;
  }

  #infoAt(k: number): BindingInfo {
    const s = this.#state;
    const actual = s.rev.keyAt(k);
    const at = k * COLUMNS;
    const o = s.meta[at + ORIGIN]!;
    const cls = CLASS_NAMES[s.meta[at + CLS]!]!;
    const how = HOWS[s.meta[at + HOW]!]!;
    return o < 0 ? { actual, cls, how } : { actual, cls, origin: s.origins[o]!, how };
  }

  /** Gives this instance its own copy of the first `n` entries of the storage, to write to. */
  #copy(n: number): State {
    const s = this.#state;
    this.#state = {
      fwd: s.fwd.clonePrefix(n),
      rev: s.rev.clonePrefix(n),
      meta: s.meta.slice(0, Math.max(64, n * COLUMNS)),
      origins: s.origins.slice(),
      shared: 0,
      frozen: false,
    };
    return this.#state;
  }
}

function emptyState(): State {
  return { fwd: new StringIndex(), rev: new StringIndex(), meta: new Int32Array(0), origins: [], shared: 0, frozen: false };
}

/** The number of `origin` in the state's origins: the last one again, or a new one. */
function originId(s: State, origin: string | undefined): number {
  if (origin === undefined) return -1;
  const last = s.origins.length - 1;
  if (last >= 0 && s.origins[last] === origin) return last;
  return s.origins.push(origin) - 1;
}

/** Shared by every empty Bindings: frozen, so never written, only copied. */
const EMPTY: State = { ...emptyState(), frozen: true };

const WORD = /[\w.-]+/g;

/**
 * Adds to `into` every example value that matching `lines` (expected output) could bind: each
 * token of a binding class, as the matcher reads the normalised line, and its parts (contract
 * §5 rule 2); `seen` is given each normalised line with its tokens. A superset is harmless (it
 * only stops pipelining earlier); a missing value would let a command be typed before the output
 * that changes it, which the session then refuses.
 */
export function addBindableExamples(lines: Iterable<string>, ctx: NormaliseContext, into: Set<string>, seen?: (text: string, tokens: readonly Token[]) => void): void {
  for (const raw of lines) {
    const text = normaliseLine(raw);
    const tokens = tokenizeLine(text, ctx, { expected: true });
    seen?.(text, tokens);
    for (const t of tokens) {
      if (t.cls === undefined) continue;
      const cls = findClass(ctx.classes, t.cls);
      if (!cls?.bind) continue;
      into.add(t.text);
      for (const part of cls.partsOf?.(t.text) ?? []) into.add(part);
    }
  }
}
