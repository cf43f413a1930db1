import { findClass } from './classes.ts';
import { tokenizeLine, type NormaliseContext } from './tokenize.ts';

/** What is known about one binding. */
export interface BindingInfo {
  /** The actual value the example stands for in this run. */
  actual: string;
  /** Class of the token that made it (`binding` for lab.yaml bindings). */
  cls: string;
  /** Where it was made, e.g. `02-services.mdx:48`, for notes like "bound earlier at …". */
  origin?: string;
}

/** Why `tryBind` would refuse a pair (contract §5 rule 2). */
export type BindingConflict =
  /** The example already stands for another actual value. */
  | { kind: 'example-bound'; example: string; actual: string; info: BindingInfo }
  /** The actual value is already what another example stands for. */
  | { kind: 'actual-taken'; example: string; actual: string; other: string; info: BindingInfo };

interface State {
  fwd: Map<string, BindingInfo>;
  rev: Map<string, string>;
  /** How many other Bindings share these maps; a write by any of them copies first. */
  shares: number;
}

/**
 * The bindings of a lab run (contract §5 rules 2–4): a one-to-one map from example values in the
 * docs to the actual values they stood for. The first match binds; later matches must agree;
 * two examples never share an actual value.
 *
 * Backtracking has two tools: `fork()` is O(1) copy-on-write (the first write on either side
 * copies), and `mark()`/`undo(mark)` roll back what was bound since the mark, in O(changes).
 */
export class Bindings {
  #state: State;
  /** Pairs bound by this instance, in order, for `undo` and `made`: example, actual, example, … */
  #log: string[] = [];

  /**
   * @param initial example → actual, e.g. lab.yaml bindings computed by the runner
   * @param origin where the initial values come from, for notes
   */
  constructor(initial?: Record<string, string> | Iterable<readonly [string, string]>, origin = 'lab.yaml bindings') {
    this.#state = { fwd: new Map(), rev: new Map(), shares: 0 };
    if (!initial) return;
    const pairs = Symbol.iterator in initial ? (initial as Iterable<readonly [string, string]>) : Object.entries(initial);
    for (const [example, actual] of pairs) this.tryBind(example, actual, 'binding', origin);
    this.#log = [];
  }

  /** Number of bindings. */
  get size(): number {
    return this.#state.fwd.size;
  }

  /** The actual value an example stands for, if bound. */
  get(example: string): string | undefined {
    return this.#state.fwd.get(example)?.actual;
  }

  has(example: string): boolean {
    return this.#state.fwd.has(example);
  }

  /** Details of a binding: actual value, class, origin. */
  info(example: string): BindingInfo | undefined {
    return this.#state.fwd.get(example);
  }

  /** The example that stands for an actual value, if any. */
  exampleOf(actual: string): string | undefined {
    return this.#state.rev.get(actual);
  }

  /** Why binding `example` → `actual` would fail, or undefined when it would succeed. */
  conflictOf(example: string, actual: string): BindingConflict | undefined {
    const s = this.#state;
    const info = s.fwd.get(example);
    if (info) return info.actual === actual ? undefined : { kind: 'example-bound', example, actual, info };
    const other = s.rev.get(actual);
    if (other !== undefined) return { kind: 'actual-taken', example, actual, other, info: s.fwd.get(other)! };
    return undefined;
  }

  /**
   * Binds `example` → `actual`, or checks an existing binding. Returns false when the example is
   * bound to another actual value, or the actual value is already bound from another example.
   * @param cls class name of the token, kept for notes
   * @param origin where the binding is made, e.g. `02-services.mdx:48`
   */
  tryBind(example: string, actual: string, cls: string, origin?: string): boolean {
    const s = this.#state;
    const info = s.fwd.get(example);
    if (info) return info.actual === actual;
    if (s.rev.has(actual)) return false;
    const w = this.#writable();
    w.fwd.set(example, origin === undefined ? { actual, cls } : { actual, cls, origin });
    w.rev.set(actual, example);
    this.#log.push(example, actual);
    return true;
  }

  /** A copy that shares storage until either side binds something (copy-on-write). */
  fork(): Bindings {
    const b = new Bindings();
    b.#state = this.#state;
    this.#state.shares++;
    return b;
  }

  /** Takes over the state of `other` (typically a fork that matched); marks taken before are void. */
  adopt(other: Bindings): void {
    if (other === this || other.#state === this.#state) return;
    if (this.#state.shares > 0) this.#state.shares--;
    this.#state = other.#state;
    this.#state.shares++;
    this.#log = [];
  }

  /** A point to `undo` back to. */
  mark(): number {
    return this.#log.length;
  }

  /** Removes every binding this instance made since `mark`. */
  undo(mark: number): void {
    if (mark >= this.#log.length) return;
    const w = this.#writable();
    for (let i = this.#log.length - 2; i >= mark; i -= 2) {
      w.fwd.delete(this.#log[i]!);
      w.rev.delete(this.#log[i + 1]!);
    }
    this.#log.length = mark;
  }

  /** The pairs this instance bound itself since it was created, forked or last adopted (example → actual). */
  made(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.#log.length; i += 2) out[this.#log[i]!] = this.#log[i + 1]!;
    return out;
  }

  /** Example → actual pairs, in the order they were bound. */
  *entries(): IterableIterator<[string, string]> {
    for (const [example, info] of this.#state.fwd) yield [example, info.actual];
  }

  /** Example → actual, as stored in records. */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [example, info] of this.#state.fwd) out[example] = info.actual;
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
    if (this.size === 0) return command;
    return command
      .split('\n')
      .map((line) => this.#substituteLine(line, ctx))
      .join('\n');
  }

  #substituteLine(line: string, ctx: NormaliseContext): string {
    let out = '';
    for (const t of tokenizeLine(line, ctx)) {
      if (t.cls === undefined) {
        out += t.text.replace(WORD, (w) => this.#wordValue(w));
        continue;
      }
      const whole = this.get(t.text);
      if (whole !== undefined) {
        out += whole;
        continue;
      }
      let text = t.text;
      for (const part of findClass(ctx.classes, t.cls)?.partsOf?.(t.text) ?? []) {
        const actual = this.get(part);
        // Dashed addresses bind their dotted form; substitute in the token's own spelling.
        if (actual !== undefined) text = text.includes(part) ? text.replace(part, actual) : text.replace(part.replaceAll('.', '-'), actual.replaceAll('.', '-'));
      }
      out += text;
    }
    return out;
  }

  #wordValue(word: string): string {
    const actual = this.get(word);
    if (actual !== undefined) return actual;
    // A sentence's full stop is not part of the value.
    const bare = word.replace(/\.+$/, '');
    const bareActual = bare !== word ? this.get(bare) : undefined;
    return bareActual !== undefined ? bareActual + word.slice(bare.length) : word;
  }

  #writable(): State {
    const s = this.#state;
    if (s.shares === 0) return s;
    s.shares--;
    this.#state = { fwd: new Map(s.fwd), rev: new Map(s.rev), shares: 0 };
    return this.#state;
  }
}

const WORD = /[\w.-]+/g;
