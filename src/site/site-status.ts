import type { Block } from '../model/block.ts';
import { hashBlock } from '../model/hash.ts';
import type { Problem } from '../model/location.ts';
import type { SiteLab } from './load-site.ts';
import { blockAnchor } from './render-transcript.ts';
import { slideAt } from '../slides/split-slides.ts';
import { classifyBlock, resolveBlockStatus, type BlockState } from './resolve-status.ts';
import type { StatusView } from './view-model.ts';

/** One block's line on the status page. */
export interface BlockRow {
  labId: string;
  stepSlug: string;
  id: string;
  kind: Block['kind'];
  /** `content/labs/x/01-a.mdx:12` */
  source: string;
  file: string;
  line: number;
  state: BlockState;
  status: StatusView;
  /** Route and anchor of the block on its page, without base: `labs/x/01-a/#block-id`. */
  href: string;
  /** First command (or file path), to recognise the block in a table. */
  summary: string;
}

/** Counts of a set of blocks by what the reader sees. */
export interface StatusCounts {
  total: number;
  /** Passed, including flaky. */
  verified: number;
  flaky: number;
  drifted: number;
  /** Stale + missing + blocked. */
  unverified: number;
  stale: number;
  missing: number;
  blocked: number;
  skipped: number;
}

/** Every block of a lab with its current status, step by step. */
export function collectBlockRows(lab: SiteLab): BlockRow[] {
  const results = new Map((lab.record?.blocks ?? []).map((r) => [r.id, r]));
  const rows: BlockRow[] = [];
  for (const step of lab.steps) {
    for (const block of step.blocks) {
      const hash = hashBlock(block);
      const result = results.get(block.id);
      rows.push({
        labId: lab.id,
        stepSlug: step.slug,
        id: block.id,
        kind: block.kind,
        source: `${block.file}:${block.line}`,
        file: block.file,
        line: block.line,
        state: classifyBlock(block, hash, result),
        status: resolveBlockStatus(block, hash, result, lab.record?.environment),
        href: step.slideLines ? `${step.route}/#/${slideAt(step.slideLines, block.line)}` : `${step.route}/#${blockAnchor(block.id)}`,
        summary: block.kind === 'command' ? (block.commands[0]?.text.split('\n')[0] ?? '') : block.path,
      });
    }
  }
  return rows;
}

/** Counts rows by state. */
export function countStates(rows: readonly Pick<BlockRow, 'state'>[]): StatusCounts {
  const c: StatusCounts = { total: rows.length, verified: 0, flaky: 0, drifted: 0, unverified: 0, stale: 0, missing: 0, blocked: 0, skipped: 0 };
  for (const r of rows) {
    switch (r.state) {
      case 'verified':
        c.verified++;
        break;
      case 'flaky':
        c.verified++;
        c.flaky++;
        break;
      case 'drifted':
        c.drifted++;
        break;
      case 'stale':
      case 'missing':
      case 'blocked':
        c.unverified++;
        c[r.state]++;
        break;
      case 'skipped':
        c.skipped++;
        break;
    }
  }
  return c;
}

/** The build's one-line summary: `labs: 42 blocks verified, 3 not yet verified, 0 drifted (2 flaky, 1 skipped) in 2 labs and 1 deck`. */
export function formatStatusLine(c: StatusCounts, labs: number, decks = 0): string {
  const extra = [c.flaky ? `${c.flaky} flaky` : '', c.skipped ? `${c.skipped} skipped` : ''].filter(Boolean).join(', ');
  const head = `labs: ${c.verified} block${c.verified === 1 ? '' : 's'} verified, ${c.unverified} not yet verified, ${c.drifted} drifted`;
  const where = `${labs} lab${labs === 1 ? '' : 's'}${decks > 0 ? ` and ${decks} deck${decks === 1 ? '' : 's'}` : ''}`;
  return `${head}${extra ? ` (${extra})` : ''} in ${where}`;
}

const STRICT_MESSAGES: Partial<Record<BlockState, { message: string; hint: string }>> = {
  drifted: { message: 'block drifted: the last run printed something else', hint: 'run `labs verify` on this step and fix the page or the lab (`--update` rewrites the expected output)' },
  stale: { message: 'block changed since it was last verified', hint: 'run `labs verify` on this step to record it' },
};

/**
 * What fails a strict build (`LABS_STRICT=1`): every block whose last run drifted, and every
 * block edited since its last run (stale). A block that was never run is only labelled "not yet
 * verified" — a new lab, or one whose target runs only in the nightly job, is published honestly
 * as such. Skipped blocks never fail it; flaky ones pass.
 */
export function strictProblems(rows: readonly BlockRow[]): Problem[] {
  const problems: Problem[] = [];
  for (const r of rows) {
    const m = STRICT_MESSAGES[r.state];
    if (!m) continue;
    problems.push({ stage: 'record', location: { file: r.file, line: r.line, column: 1 }, message: `${m.message} (id ${r.id})`, hint: m.hint });
  }
  return problems;
}
