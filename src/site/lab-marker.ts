import type { LabConfig } from '../model/lab.ts';
import { buildContext } from '../normalise/context.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';
import { createVolatileMarker, type MarkVolatile } from './mark-volatile.ts';

/**
 * The volatile-token marker of a lab: the normaliser's built-in classes plus the lab's own
 * `volatile` classes, with its `pin` values and the constant addresses kept literal — the same
 * tokens the runner treats as volatile are the ones the page marks. Pages outside labs get the
 * built-in classes.
 */
export function createLabMarker(config: Pick<LabConfig, 'volatile' | 'pin'> | undefined): MarkVolatile {
  const ctx = buildContext(config);
  const labels = new Map(ctx.classes.map((c) => [c.name, c.label]));
  const bindable = new Set(ctx.classes.filter((c) => c.bind).map((c) => c.name));
  return createVolatileMarker((line) => tokenizeLine(line, ctx, { expected: true }), labels, bindable);
}

/** The normaliser's context of a lab (its classes, its pins and the constant addresses), as the runner builds it. */
export function createLabContext(config: Pick<LabConfig, 'volatile' | 'pin'> | undefined): NormaliseContext {
  return buildContext(config);
}
