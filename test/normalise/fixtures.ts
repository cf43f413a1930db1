import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VolatileDef } from '../../src/model/lab.ts';
import { buildClasses } from '../../src/normalise/classes.ts';
import type { NormaliseContext } from '../../src/normalise/tokenize.ts';

/** Case directories under test/fixtures/<area>. */
export function fixtureCases(area: string): { name: string; dir: string }[] {
  const root = join(import.meta.dirname, '..', 'fixtures', area);
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, dir: join(root, d.name) }));
}

export function readText(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

export function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readText(dir, file)) as T;
}

export function has(dir: string, file: string): boolean {
  return existsSync(join(dir, file));
}

/** A normalise context from a lab's `pin` and `volatile` settings. */
export function contextOf(opts: { pin?: string[]; volatile?: VolatileDef[] } = {}): NormaliseContext {
  return { classes: buildClasses(opts.volatile), pins: new Set(opts.pin ?? []) };
}
