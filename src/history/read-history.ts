import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHistory, type NightSummary } from './history.ts';

/** Where the site finds the drift history: the pages workflow copies it from the `lab-drift/history` branch. */
export const HISTORY_FILE = 'verification/history.jsonl';

/**
 * The nights of every project root's `verification/history.jsonl`, oldest first (by date, then
 * run), and the lines it could not read, each named by file and line.
 */
export function readHistory(roots: string[]): { nights: NightSummary[]; problems: string[] } {
  const nights: NightSummary[] = [];
  const problems: string[] = [];
  for (const root of roots) {
    const file = path.join(root, HISTORY_FILE);
    if (!existsSync(file)) continue;
    const h = parseHistory(readFileSync(file, 'utf8'));
    nights.push(...h.nights);
    problems.push(...h.problems.map((p) => `${file}: ${p}`));
  }
  nights.sort((a, b) => a.date.localeCompare(b.date) || a.run.localeCompare(b.run));
  return { nights, problems };
}
