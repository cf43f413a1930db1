/** A piece of an expected output line; `label` is set on values that differ from run to run. */
export interface Segment {
  text: string;
  /** Human name of the value's class ("IP address"); absent for literal text. */
  label?: string;
  /** Set when the runner binds this value to the real one (its class binds; not a `[[…]]` marker). */
  bind?: boolean;
}

/** Splits one expected output line into literal and volatile segments. */
export type MarkVolatile = (line: string) => Segment[];

/** The token shape of `tokenizeLine` (src/normalise/tokenize.ts), as far as the site needs it. */
export interface LineToken {
  text: string;
  /** Offsets in the source line; a `[[…]]` marker's span includes its brackets. */
  start: number;
  end: number;
  /** Volatile class name, when the token is volatile. */
  cls?: string;
  /** An author's `[[…]]` marker; `text` is the value without brackets. */
  marked?: boolean;
}

/** Label of author-marked values (`[[…]]`), which belong to no class. */
export const MARKED_LABEL = 'example value';

/**
 * Builds a MarkVolatile from the normaliser's tokenizer and the lab's classes. Text between
 * tokens is kept from the source line, so the output is exactly the line minus `[[`/`]]`.
 * @param tokenize returns the tokens of an expected line (see `tokenizeLine`)
 * @param labels class name → human label ("ipv4" → "IP address")
 * @param bindable names of the classes whose values the runner binds
 */
export function createVolatileMarker(
  tokenize: (line: string) => LineToken[],
  labels: ReadonlyMap<string, string>,
  bindable: ReadonlySet<string> = new Set(),
): MarkVolatile {
  return (line) => {
    const tokens = [...tokenize(line)].sort((a, b) => a.start - b.start);
    const out: Segment[] = [];
    let pos = 0;
    for (const t of tokens) {
      if (t.start < pos) continue; // overlapping tokens: keep the first
      if (t.start > pos) pushText(out, line.slice(pos, t.start));
      const label = t.marked ? MARKED_LABEL : t.cls !== undefined ? (labels.get(t.cls) ?? humanise(t.cls)) : undefined;
      if (label !== undefined && t.text !== '') out.push(!t.marked && t.cls !== undefined && bindable.has(t.cls) ? { text: t.text, label, bind: true } : { text: t.text, label });
      else pushText(out, t.text);
      pos = t.end;
    }
    if (pos < line.length) pushText(out, line.slice(pos));
    return out;
  };
}

/** `generated-name` → `generated name`: a readable fallback for a class without a label. */
function humanise(name: string): string {
  return name.replace(/[-_]+/g, ' ');
}

function pushText(out: Segment[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.label === undefined) last.text += text;
  else out.push({ text });
}

/**
 * A marker for when no tokenizer is available: only the author's `[[…]]` markers are found.
 * Used by tests and as the behaviour of pages outside any lab before classes load.
 */
export const markAuthorMarkersOnly: MarkVolatile = (line) => {
  const out: Segment[] = [];
  let pos = 0;
  for (const m of line.matchAll(/\[\[(.+?)\]\]/g)) {
    pushText(out, line.slice(pos, m.index));
    out.push({ text: m[1]!, label: MARKED_LABEL });
    pos = m.index + m[0].length;
  }
  pushText(out, line.slice(pos));
  return out;
};
