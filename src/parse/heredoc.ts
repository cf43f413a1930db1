/** A here-document operator found on a command line. */
export interface HeredocOperator {
  /** The terminator word, quotes removed (`<<'EOF'` → `EOF`). */
  terminator: string;
  /** `<<-`: leading tabs are stripped from the body lines and the terminator line. */
  stripTabs: boolean;
  /** 0-based index of the `<<` in the scanned line. */
  index: number;
}

/** Shell state carried from one continuation line to the next. */
export interface ShellScanState {
  quote: '' | "'" | '"';
  /** Depth of `((` … `))` arithmetic, where `<<` is a shift, not a here-document. */
  arith: number;
}

const WORD_END = /[\s;&|<>()]/;

/**
 * Finds the here-document operators (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF`) of one command
 * line, skipping quoted text, comments, here-strings (`<<<`) and arithmetic shifts. The state
 * lets a quote opened on one continuation line close on the next.
 */
export function findHeredocs(line: string, state: ShellScanState = { quote: '', arith: 0 }): HeredocOperator[] {
  const found: HeredocOperator[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
      i++;
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (state.quote === '"') {
      if (c === '"') state.quote = '';
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      state.quote = c;
      i++;
      continue;
    }
    // An unquoted # that starts a word begins a comment: nothing after it counts.
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    if (line.startsWith('((', i)) {
      state.arith++;
      i += 2;
      continue;
    }
    if (line.startsWith('))', i) && state.arith > 0) {
      state.arith--;
      i += 2;
      continue;
    }
    if (line.startsWith('<<<', i)) {
      i += 3;
      continue;
    }
    if (line.startsWith('<<', i) && state.arith === 0) {
      const op = readOperator(line, i);
      if (op) {
        found.push(op.operator);
        i = op.end;
        continue;
      }
    }
    i++;
  }
  return found;
}

/** Reads `<<[-] WORD` at `at`; the word may be quoted in whole or in part. */
function readOperator(line: string, at: number): { operator: HeredocOperator; end: number } | undefined {
  let i = at + 2;
  const stripTabs = line[i] === '-';
  if (stripTabs) i++;
  while (line[i] === ' ' || line[i] === '\t') i++;
  let word = '';
  while (i < line.length && !WORD_END.test(line[i]!)) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) return undefined;
      word += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (word === '') return undefined;
  return { operator: { terminator: word, stripTabs, index: at }, end: i };
}

/** Whether `line` ends a here-document with this operator. */
export function isHeredocEnd(line: string, op: HeredocOperator): boolean {
  const text = op.stripTabs ? line.replace(/^\t+/, '') : line;
  return text === op.terminator || text.replace(/\r$/, '') === op.terminator;
}
