import type { Location, Problem, Stage } from '../model/location.ts';

/** Builds a problem, clamping line and column to 1 so every problem is a valid location. */
export function makeProblem(stage: Stage, at: Location, message: string, hint?: string): Problem {
  const location = { file: at.file, line: clamp(at.line), column: clamp(at.column) };
  return hint ? { stage, location, message, hint } : { stage, location, message };
}

function clamp(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/** Renders a location as `file:line:column`, for messages that point at a second place. */
export function formatLocation(at: Location): string {
  return `${at.file}:${at.line}:${at.column}`;
}
