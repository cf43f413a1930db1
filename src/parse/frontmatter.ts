import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../model/location.ts';
import { makeProblem } from './problem.ts';

/** The frontmatter of a step file and the source with it blanked out. */
export interface Frontmatter {
  /** Parsed YAML, or undefined when there is none or it is broken. */
  data?: unknown;
  /** The source with the frontmatter lines emptied, so line numbers stay those of the file. */
  content: string;
  /** The YAML text, preceded by one empty line so its line numbers are the file's; undefined without frontmatter. */
  yaml?: string;
  problems: Problem[];
}

/**
 * Splits `---` YAML frontmatter off the top of a Markdown/MDX source. The frontmatter lines are
 * replaced by empty lines rather than removed, so positions the Markdown parser reports are
 * still the file's own; remark-frontmatter is not needed for that.
 */
export function splitFrontmatter(source: string, file: string): Frontmatter {
  // Line by line from the top, without splitting the whole page: a page of a million lines
  // usually has a few lines of frontmatter or none.
  const firstEnd = source.indexOf('\n');
  if ((firstEnd < 0 ? source : source.slice(0, firstEnd)).replace(/\r$/, '').trimEnd() !== '---') return { content: source, problems: [] };
  // The closing line: its number, where it starts and where it ends (-1: at the end of the source).
  let close = -1;
  let closeStart = 0;
  let closeEnd = -1;
  for (let i = 1, at = firstEnd + 1; firstEnd >= 0; i++) {
    const end = source.indexOf('\n', at);
    const line = end < 0 ? source.slice(at) : source.slice(at, end);
    if (/^(---|\.\.\.)\s*$/.test(line.replace(/\r$/, ''))) {
      close = i;
      closeStart = at;
      closeEnd = end;
      break;
    }
    if (end < 0) break;
    at = end + 1;
  }
  if (close < 0) return { content: source, problems: [] };
  const yamlText = source.slice(firstEnd + 1, closeStart - 1);
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  const problems = doc.errors.map((e) => {
    const pos = counter.linePos(e.pos[0]);
    return makeProblem('parse', { file, line: pos.line + 1, column: pos.col }, `bad frontmatter: ${firstLine(e.message)}`, 'frontmatter is YAML between two --- lines');
  });
  // The lines up to the closing one emptied, the rest as it is.
  const content = '\n'.repeat(close) + (closeEnd < 0 ? '' : source.slice(closeEnd));
  const yaml = '\n' + yamlText;
  if (problems.length > 0) return { content, yaml, problems };
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), content, yaml, problems };
  } catch (e) {
    problems.push(makeProblem('parse', { file, line: 2, column: 1 }, `bad frontmatter: ${e instanceof Error ? e.message : String(e)}`));
    return { content, yaml, problems };
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
