import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../../model/location.ts';

const cache = new Map<string, string[]>();

/**
 * Every property name the compiled validators of a model package test (`data.containers`,
 * `data["x-kubernetes-…"]`): the candidates for "did you mean" on an unknown field. Read once,
 * and only when a manifest has an unknown field.
 */
export function readFieldVocabulary(pkg: string): string[] {
  const hit = cache.get(pkg);
  if (hit) return hit;
  const names = new Set<string>();
  try {
    const main = fileURLToPath(import.meta.resolve(pkg));
    const dir = path.join(path.dirname(main), '_schemas');
    const re = /\bdata\.([A-Za-z_$][\w$]*)|\bdata\["([^"\\]+)"\]/g;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.js')) continue;
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(re)) names.add((m[1] ?? m[2])!);
    }
  } catch {
    // No vocabulary: unknown fields are still reported, just without a suggestion.
  }
  const list = [...names].filter((n) => n !== 'length');
  cache.set(pkg, list);
  return list;
}

/**
 * The closest names to `word` (edit distance ≤ 2, closest first) for which `accept` holds,
 * e.g. "is a declared field at this path".
 */
export function suggestNames(word: string, candidates: readonly string[], accept: (name: string) => boolean): string | undefined {
  let pool = candidates.filter((c) => c !== word && Math.abs(c.length - word.length) <= 2);
  for (;;) {
    const best = didYouMean(word, pool);
    if (best === undefined) return undefined;
    if (accept(best)) return best;
    pool = pool.filter((c) => c !== best);
  }
}
