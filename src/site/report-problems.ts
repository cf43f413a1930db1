import { formatProblem, type Problem } from '../model/location.ts';

const seen = new Set<string>();

/**
 * Prints content problems as warnings, each once per process: the build gate and the remark
 * plugin both parse the pages, and a reader of the build log needs each problem only once.
 * The site still builds; `labs check` is the command that fails on them.
 */
export function warnProblems(problems: readonly Problem[], print: (line: string) => void = (l) => console.warn(l)): number {
  let printed = 0;
  for (const p of problems) {
    const line = `[labs] ${formatProblem(p)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    print(line);
    printed++;
  }
  return printed;
}
