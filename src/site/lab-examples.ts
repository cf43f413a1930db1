import type { Block } from '../model/block.ts';
import { findClass } from '../normalise/classes.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';

/** Where an example value was first printed: the runner binds it there (contract §5 rule 2). */
export interface ExampleOrigin {
  /** Human name of the value's class, e.g. "IP address". */
  label: string;
  /** First line of the command whose output printed it, e.g. `kubectl get svc web`. */
  command: string;
  /** Block that printed it. */
  blockId: string;
  /** 1-based step number and title, for values printed on an earlier page. */
  step: number;
  stepTitle: string;
}

/** A step as examples are collected from it: its blocks in page order. */
export interface ExampleStep {
  title: string;
  blocks: readonly Block[];
}

/** Which example values are bound before each command of a lab runs. */
export interface LabExamples {
  /**
   * The origin of `example` if the runner has bound it before command `index` of block
   * `blockId` runs (so it substitutes the real value into that command), else undefined.
   */
  boundBefore(blockId: string, index: number, example: string): ExampleOrigin | undefined;
}

/**
 * Walks a lab's commands in run order and notes, for every bindable volatile value in an
 * expected output, where it first appears. A value printed by an earlier command is one the
 * runner binds to the real value and substitutes into later commands, so the page can mark it
 * there and say where the reader's own value comes from. Values of classes that never bind
 * (ages, timestamps) and author `[[…]]` markers are left out, as the runner leaves them out.
 * Skipped blocks print nothing the runner sees and bind nothing. A value the reader typed in a
 * command before any output printed it is their own input, not an example to replace.
 * @param computed lab.yaml `bindings` (example → the command that computes the real value)
 * @param unchanged examples the last recorded run bound to themselves and never to anything else
 *   (see `unchangedExamples`): on a real machine they came out the same, so they are not marked
 */
export function collectExamples(
  steps: readonly ExampleStep[],
  ctx: NormaliseContext,
  unchanged: ReadonlySet<string> = new Set(),
  computed: Readonly<Record<string, string>> = {},
): LabExamples {
  const first = new Map<string, { order: number; origin: ExampleOrigin }>();
  // lab.yaml `bindings`: the runner computes these before step 1 (step 0 here). Where an earlier
  // output also prints the value, that output is the better pointer for a reader.
  const setup = new Map(Object.entries(computed).map(([example, command]) => [example, { label: 'value', command, blockId: '', step: 0, stepTitle: 'lab.yaml' }]));
  // Values the reader types before any output prints them (an address they give an interface):
  // theirs already, the same on every machine, so never marked as "yours will differ".
  const typed = new Set<string>();
  const orderOf = new Map<string, number>();
  let order = 0;
  steps.forEach((step, s) => {
    for (const block of step.blocks) {
      if (block.kind !== 'command') continue;
      block.commands.forEach((cmd, c) => {
        orderOf.set(`${block.id}\n${c}`, order);
        for (const line of cmd.text.split('\n')) {
          for (const t of tokenizeLine(line, ctx)) {
            if (t.cls === undefined) continue;
            for (const value of [t.text, ...(findClass(ctx.classes, t.cls)?.partsOf?.(t.text) ?? [])]) if (!first.has(value)) typed.add(value);
          }
        }
        const skipped = block.options.skip !== undefined || block.options.background || block.options.output === 'ignore';
        if (!skipped) {
          for (const line of cmd.expected) {
            for (const t of tokenizeLine(line.text, ctx, { expected: true })) {
              if (t.cls === undefined || t.marked) continue;
              const cls = findClass(ctx.classes, t.cls);
              if (!cls?.bind) continue;
              const origin = { label: cls.label, command: cmd.text.split('\n')[0]!, blockId: block.id, step: s + 1, stepTitle: step.title };
              for (const value of [t.text, ...(cls.partsOf?.(t.text) ?? [])]) {
                if (!first.has(value)) first.set(value, { order, origin });
              }
            }
          }
        }
        order++;
      });
    }
  });
  return {
    boundBefore(blockId, index, example) {
      const at = orderOf.get(`${blockId}\n${index}`);
      // A computed value is substituted even where the reader seems to type it first.
      if (at === undefined || unchanged.has(example) || (typed.has(example) && !setup.has(example))) return undefined;
      const hit = first.get(example);
      return hit && hit.order < at ? hit.origin : setup.get(example);
    },
  };
}

/** A piece of a command line: literal text, or an example value bound earlier. */
export interface CommandSegment {
  text: string;
  origin?: ExampleOrigin;
}

const WORD = /[\w.-]+/g;

/**
 * Splits one line of a command into literal text and the example values the runner would
 * replace in it (the same tokens `Bindings.substitute` replaces): a volatile token bound whole,
 * a bound part of one (a ReplicaSet hash, an address without its port), or a word in literal
 * text that equals a bound example (a sentence's full stop left outside).
 */
export function splitCommandLine(line: string, ctx: NormaliseContext, originOf: (example: string) => ExampleOrigin | undefined): CommandSegment[] {
  const out: CommandSegment[] = [];
  const text = (s: string) => {
    if (s === '') return;
    const last = out[out.length - 1];
    if (last && !last.origin) last.text += s;
    else out.push({ text: s });
  };
  const literal = (s: string) => {
    let pos = 0;
    for (const m of s.matchAll(WORD)) {
      let word = m[0];
      let origin = originOf(word);
      if (!origin && /\.+$/.test(word)) {
        word = word.replace(/\.+$/, '');
        origin = word ? originOf(word) : undefined;
      }
      if (!origin) continue;
      text(s.slice(pos, m.index));
      out.push({ text: word, origin });
      pos = m.index + word.length;
    }
    text(s.slice(pos));
  };
  for (const t of tokenizeLine(line, ctx)) {
    if (t.cls === undefined) {
      literal(t.text);
      continue;
    }
    const whole = originOf(t.text);
    if (whole) {
      out.push({ text: t.text, origin: whole });
      continue;
    }
    // Bound parts, in the token's order (a pod name's hash, an address before its port).
    const parts = (findClass(ctx.classes, t.cls)?.partsOf?.(t.text) ?? [])
      .map((p) => ({ p, at: t.text.indexOf(p), origin: originOf(p) }))
      .filter((x) => x.at >= 0 && x.origin)
      .sort((a, b) => a.at - b.at);
    let pos = 0;
    for (const { p, at, origin } of parts) {
      if (at < pos) continue;
      text(t.text.slice(pos, at));
      out.push({ text: p, origin: origin! });
      pos = at + p.length;
    }
    text(t.text.slice(pos));
  }
  return out;
}

/** The tooltip of an example value in a command: what it is and where the reader's own value comes from. */
export function commandValueTip(origin: ExampleOrigin, step: number): string {
  if (origin.step === 0) return `A value of your own setup; yours may differ. Our checker finds it with “${shorten(origin.command)}”.`;
  const where = origin.step === step ? 'above' : `in step ${origin.step}, ${origin.stepTitle}`;
  return `${capitalise(origin.label)} printed by “${shorten(origin.command)}” ${where}. Yours will differ: type the one your terminal printed, or check that output (“Check my output” on its block) and this command shows yours.`;
}

/** The tooltip of a value in an expected output that an earlier command already printed. */
export function outputValueTip(origin: ExampleOrigin, step: number): string {
  if (origin.step === 0) return `${capitalise(origin.label)} of your own setup; yours may differ.`;
  const where = origin.step === step ? 'above' : `in step ${origin.step}`;
  return `${capitalise(origin.label)}: the same one “${shorten(origin.command)}” printed ${where}. Yours will differ.`;
}

function shorten(command: string): string {
  return command.length > 48 ? `${command.slice(0, 45)}…` : command;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The example values a lab's record bound only to themselves: addresses a local lab assigns, for
 * instance, come out the same on every machine, and marking them "yours will differ" in commands
 * would be noise. Values never recorded are not in the set (they stay marked).
 */
export function unchangedExamples(results: readonly { bindings: Record<string, string> }[]): Set<string> {
  const same = new Set<string>();
  const differ = new Set<string>();
  for (const r of results) for (const [example, actual] of Object.entries(r.bindings)) (example === actual ? same : differ).add(example);
  for (const d of differ) same.delete(d);
  return same;
}
