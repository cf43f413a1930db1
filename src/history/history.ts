/**
 * The nightly drift history: one line of JSON per night (`history.jsonl` on the
 * `lab-drift/history` branch, written by scripts/drift-history.ts), and the strips the status page
 * draws from it. Pure: text and values in, values out.
 */

/** What one block did on one night. `skip` covers skipped and blocked blocks: they did not run. */
export type NightStatus = 'pass' | 'flaky' | 'drift' | 'error' | 'skip';
/** A cell of a strip: a night's status, or `none` when the block (or lab) was not in that night's run. */
export type StripCell = NightStatus | 'none';

/** One night of the pinned run. */
export interface NightSummary {
  /** UTC day of the run, `YYYY-MM-DD`. */
  date: string;
  /** Link to the workflow run. */
  run: string;
  /** `lab/block-id` → what the block did. */
  blocks: Record<string, NightStatus>;
}

/** How many nights the history keeps. @default 30 */
export const HISTORY_NIGHTS = 30;
/** A block whose flaky rate reaches this is flagged for the maintainer. @default 0.2 */
export const FLAKY_THRESHOLD = 0.2;
/** Nights a block must have run before its flaky rate can flag it (one flaky night of one is noise). @default 3 */
export const FLAKY_MIN_RUNS = 3;

/** The block statuses of a `labs verify` JSON report (contract §6), as the history names them. */
const STATUS: Record<string, NightStatus> = { pass: 'pass', flaky: 'flaky', fail: 'drift', error: 'error', skip: 'skip', blocked: 'skip' };

/** The part of a JSON report (src/report/json.ts) a night's summary reads. */
export interface ReportBlocks {
  blocks?: { lab: string; id: string; status: string }[];
}

/** One night's summary from the pinned shards' JSON reports. An unknown status counts as an error. */
export function summariseNight(reports: ReportBlocks[], date: string, run: string): NightSummary {
  const blocks: Record<string, NightStatus> = {};
  for (const r of reports) for (const b of r.blocks ?? []) blocks[`${b.lab}/${b.id}`] = STATUS[b.status] ?? 'error';
  return { date, run, blocks };
}

function isNight(v: unknown): v is NightSummary {
  if (v === null || typeof v !== 'object') return false;
  const n = v as Record<string, unknown>;
  return typeof n.date === 'string' && typeof n.run === 'string' && n.blocks !== null && typeof n.blocks === 'object';
}

/**
 * Reads `history.jsonl`. A line that is not a night summary is reported in `problems` (with its
 * line number) and left out, so one bad line does not hide the others.
 */
export function parseHistory(text: string): { nights: NightSummary[]; problems: string[] } {
  const nights: NightSummary[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const v: unknown = JSON.parse(line);
      if (isNight(v)) nights.push(v);
      else problems.push(`line ${i + 1}: not a night summary (needs date, run and blocks)`);
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
    }
  });
  return { nights, problems };
}

/**
 * The history with `night` added: a rerun of the same run replaces its line, and only the last
 * `keep` nights stay. Lines that are not night summaries are kept as they are (never lost), but
 * count towards nothing.
 */
export function appendNight(text: string, night: NightSummary, keep = HISTORY_NIGHTS): string {
  const lines = text.split('\n').filter((l) => l.trim());
  const runOf = (l: string) => {
    try {
      const v: unknown = JSON.parse(l);
      return isNight(v) ? v.run : undefined;
    } catch {
      return undefined;
    }
  };
  const kept = lines.filter((l) => runOf(l) !== night.run);
  kept.push(JSON.stringify(night));
  const nightLines = kept.filter((l) => runOf(l) !== undefined);
  const drop = new Set(nightLines.slice(0, Math.max(0, nightLines.length - keep)));
  return `${kept.filter((l) => !drop.has(l)).join('\n')}\n`;
}

/** One block's strip. */
export interface BlockStrip {
  id: string;
  /** Oldest night first, one cell per night of the history. */
  cells: StripCell[];
  /** Nights it ran (pass, flaky, drift or error). */
  runs: number;
  /** Flaky nights over nights it ran; 0 when it never ran. */
  flakyRate: number;
  /** The flaky rate reached the threshold over at least the minimum of runs. */
  flagged: boolean;
}

/** One lab's strip (each night its worst block) and its blocks' strips. */
export interface LabStrip {
  lab: string;
  cells: StripCell[];
  blocks: BlockStrip[];
}

/** Options of `buildStrips`. */
export interface StripOptions {
  /** @default FLAKY_THRESHOLD */
  threshold?: number;
  /** @default FLAKY_MIN_RUNS */
  minRuns?: number;
  /** Nights to show, the most recent. @default HISTORY_NIGHTS */
  nights?: number;
}

const WORST: StripCell[] = ['none', 'skip', 'pass', 'flaky', 'drift', 'error'];
const worse = (a: StripCell, b: StripCell): StripCell => (WORST.indexOf(b) > WORST.indexOf(a) ? b : a);

/** Per lab and per block, the last nights as strips, with flaky rates and flags. Labs and blocks sorted by id. */
export function buildStrips(history: NightSummary[], options: StripOptions = {}): LabStrip[] {
  const { threshold = FLAKY_THRESHOLD, minRuns = FLAKY_MIN_RUNS, nights = HISTORY_NIGHTS } = options;
  const shown = history.slice(-nights);
  const labs = new Map<string, Set<string>>();
  for (const n of shown) {
    for (const key of Object.keys(n.blocks)) {
      const at = key.indexOf('/');
      const lab = key.slice(0, at);
      if (!labs.has(lab)) labs.set(lab, new Set());
      labs.get(lab)!.add(key.slice(at + 1));
    }
  }
  return [...labs.keys()].sort().map((lab) => {
    const blocks = [...labs.get(lab)!].sort().map((id): BlockStrip => {
      const cells = shown.map((n): StripCell => n.blocks[`${lab}/${id}`] ?? 'none');
      const runs = cells.filter((c) => c !== 'none' && c !== 'skip').length;
      const flaky = cells.filter((c) => c === 'flaky').length;
      const flakyRate = runs ? flaky / runs : 0;
      return { id, cells, runs, flakyRate, flagged: runs >= minRuns && flakyRate >= threshold };
    });
    const cells = shown.map((_, i) => blocks.reduce<StripCell>((w, b) => worse(w, b.cells[i]!), 'none'));
    return { lab, cells, blocks };
  });
}
