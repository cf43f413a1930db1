#!/usr/bin/env node
/**
 * Appends the night to the drift history (src/history/history.ts):
 *
 *   node scripts/drift-history.ts DIR RUN_URL DATE FILE
 *
 * reads the pinned shards' JSON reports (DIR/drift-pinned-N/report.json), adds one line to FILE
 * (history.jsonl; created when missing) and keeps the last 30 nights. A shard that left no
 * report leaves its labs out of the night: the status page shows them as not run, never as
 * passed. A line of FILE it cannot read is kept and named on stderr.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendNight, parseHistory, summariseNight, type ReportBlocks } from '../src/history/history.ts';

function main(argv: string[]): number {
  const [dir, run, date, file] = argv;
  if (!dir || !run || !date || !file || !/^\d{4}-\d\d-\d\d$/.test(date)) {
    console.error('usage: drift-history.ts DIR RUN_URL YYYY-MM-DD FILE');
    return 2;
  }
  const reports: ReportBlocks[] = [];
  const shards = existsSync(dir) ? readdirSync(dir).filter((d) => /^drift-pinned-\d+$/.test(d)) : [];
  for (const d of shards) {
    const f = join(dir, d, 'report.json');
    if (!existsSync(f)) {
      console.error(`drift-history: ${d} left no report.json; its labs are left out of tonight's line`);
      continue;
    }
    try {
      reports.push(JSON.parse(readFileSync(f, 'utf8')) as ReportBlocks);
    } catch {
      console.error(`drift-history: ${f} is not JSON; its labs are left out of tonight's line`);
    }
  }
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const p of parseHistory(before).problems) console.error(`drift-history: ${file}: ${p} (kept as it is)`);
  const night = summariseNight(reports, date, run);
  writeFileSync(file, appendNight(before, night));
  console.log(`drift-history: ${date}: ${Object.keys(night.blocks).length} blocks from ${reports.length} of ${shards.length} pinned shards`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
