import { BIND_CONFLICT, BIND_INHERITED, BIND_MADE, type BindingConflict, type Bindings } from '../normalise/bindings.ts';
import type { Capture } from './match-line.ts';

/** A binding conflict, and which pair (the token or one of its parts) it was about. */
export type CaptureConflict = BindingConflict & { part?: string };

/**
 * Told about every pair a capture binds: `made` when new, otherwise it agreed with an existing
 * binding — `inherited` when that binding is older than the bindings' base (for a match's fork:
 * one the run had before the match).
 */
export type PairListener = (example: string, actual: string, made: boolean, inherited: boolean) => void;

/**
 * Binds an expected token to the actual one (contract §5 rule 2), and its parts on their own:
 * a pod's ReplicaSet hash, an address behind its `:port`. A class with `bind: false` (ages,
 * timestamps) binds nothing. Stops at the first conflict and returns it; the caller undoes what
 * was made. Allocation-free on success, since it runs for every token of large outputs.
 */
export function bindCapture(b: Bindings, cap: Capture, origin: string, onPair?: PairListener): CaptureConflict | undefined {
  if (!cap.cls.bind) return undefined;
  const whole = bindPair(b, cap.example, cap.actual, cap, origin, onPair);
  if (whole) return whole;
  const partsOf = cap.cls.partsOf;
  if (!partsOf) return undefined;
  let pe = cap.exampleParts ?? partsOf(cap.example);
  let pa = partsOf(cap.actual);
  if (pe.length === 0 && pa.length === 0) return undefined;
  // A class reports no parts when the part is the whole token (a bare address): pair it as such.
  if (pe.length === 0) pe = [cap.example];
  if (pa.length === 0) pa = [cap.actual];
  const n = Math.min(pe.length, pa.length);
  for (let k = 0; k < n; k++) {
    const ex = pe[k]!;
    const act = pa[k]!;
    if (ex === cap.example && act === cap.actual) continue;
    const c = bindPair(b, ex, act, cap, origin, onPair);
    if (c) return { ...c, part: ex };
  }
  return undefined;
}

function bindPair(b: Bindings, example: string, actual: string, cap: Capture, origin: string, onPair: PairListener | undefined): BindingConflict | undefined {
  const outcome = b.bindPair(example, actual, cap.cls.name, origin);
  if (outcome === BIND_CONFLICT) return b.conflictOf(example, actual)!;
  onPair?.(example, actual, outcome === BIND_MADE, outcome === BIND_INHERITED);
  return undefined;
}

/** The example-side keys a capture binds: the token and its parts. */
export function keysOf(cap: Capture): string[] {
  if (!cap.cls.bind) return [];
  const parts = cap.cls.partsOf?.(cap.example) ?? [];
  return parts.length === 0 ? [cap.example] : [cap.example, ...parts];
}
