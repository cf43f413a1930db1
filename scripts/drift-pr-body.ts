#!/usr/bin/env node
/**
 * The nightly drift job's update pull request, from the pinned shards' artifacts (drift.yml
 * downloads `drift-pinned-*` into one folder, each holding report.json, report.md and
 * update.patch from scripts/drift-verify.sh):
 *
 *   node scripts/drift-pr-body.ts state DIR SHARDS
 *       prints `update` (a shard proposed a change to the pages), `clean` (all SHARDS pinned
 *       shards reported, with no failed or errored block and no change), or `unknown` (a shard
 *       left no report, or blocks failed without a change to propose: nothing to say either way)
 *   node scripts/drift-pr-body.ts body DIR RUN_URL DATE > pr-body.md
 *       prints the pull request body (see renderPrBody)
 *
 * Only node: builtins and the pure src/redact/redact.ts, so the job needs no `npm ci`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets } from '../src/redact/redact.ts';

/** GitHub refuses a pull request body longer than 65,536 characters; stay well under it. */
export const BODY_LIMIT = 60_000;

interface ReportJson {
  summary?: { failed?: number; errors?: number };
  labs?: { id: string; environment?: { versions?: Record<string, string> } }[];
  blocks?: { lab: string; id: string; file: string; line: number; status: string; reason?: string | null }[];
}

/** What one pinned shard left behind. */
export interface ShardArtifacts {
  name: string;
  report?: ReportJson;
  markdown?: string;
  patch: string;
}

export function readShards(dir: string): ShardArtifacts[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => /^drift-pinned-\d+$/.test(d))
    .sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()))
    .map((name) => {
      const f = (file: string) => (existsSync(join(dir, name, file)) ? readFileSync(join(dir, name, file), 'utf8') : undefined);
      const json = f('report.json');
      let report: ReportJson | undefined;
      try {
        report = json === undefined ? undefined : (JSON.parse(json) as ReportJson);
      } catch {
        report = undefined; // an unreadable report counts as no report
      }
      return { name, report, markdown: f('report.md'), patch: f('update.patch') ?? '' };
    });
}

export function nightState(shards: ShardArtifacts[], expected: number): 'update' | 'clean' | 'unknown' {
  if (shards.some((s) => s.patch.trim() !== '')) return 'update';
  if (shards.length !== expected) return 'unknown';
  const clean = shards.every((s) => s.report?.summary !== undefined && (s.report.summary.failed ?? 1) === 0 && (s.report.summary.errors ?? 1) === 0);
  return clean ? 'clean' : 'unknown';
}

/** The files a unified diff changes (its `+++ b/…` lines). */
export function changedFiles(patch: string): string[] {
  return [...new Set([...patch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]!))].sort();
}

function list(items: string[], room: number, more: (n: number) => string): string[] {
  return items.length <= room ? items : [...items.slice(0, room), more(items.length - room)];
}

/**
 * The body: the run, the pages the update changes, the blocks that drifted, the tool and image
 * versions each lab ran with, a reminder to read the prose around each changed output, and the
 * shards' Markdown reports. When that passes `limit`, the reports give way to a link to the run,
 * then the lists are cut short, each saying how many it left out. Secrets are redacted as in
 * records (the reports themselves are not), since the body is as public as the repository.
 */
export function renderPrBody(shards: ShardArtifacts[], runUrl: string, date: string, limit = BODY_LIMIT): string {
  const pages = changedFiles(shards.map((s) => s.patch).join('\n'));
  const blocks = shards
    .flatMap((s) => s.report?.blocks ?? [])
    .filter((b) => b.status === 'fail' || b.status === 'error')
    .map((b) => `- \`${b.file}:${b.line}\` (${b.lab}, block \`${b.id}\`): ${b.status === 'fail' ? 'drifted' : 'error'}${b.reason ? `: ${b.reason.replace(/\s+/g, ' ')}` : ''}`);
  const versions = shards
    .flatMap((s) => s.report?.labs ?? [])
    .map((l) => {
      const v = Object.entries(l.environment?.versions ?? {})
        .map(([k, val]) => `${k} ${val}`)
        .join(', ');
      return `| ${l.id} | ${v || 'not recorded'} |`;
    });
  const reports = shards.map((s) => `### ${s.name}\n\n${s.markdown?.trim() || '(this shard left no Markdown report; its log in the run says why)'}\n`).join('\n');
  const draft = (room: number, withReports: boolean) =>
    [
      `The nightly drift run of ${date} (${runUrl}) ran the labs with the pinned tools, and their output no longer matches the pages. This branch holds what \`labs verify --update\` wrote back.`,
      '',
      '## Pages changed',
      '',
      ...(pages.length ? list(pages.map((p) => `- \`${p}\``), room, (n) => `- … and ${n} more (see the diff)`) : ['- none: the update changed no page']),
      '',
      '## Blocks that drifted or errored',
      '',
      ...(blocks.length ? list(blocks, room, (n) => `- … and ${n} more (see the run: ${runUrl})`) : ['- none reported']),
      '',
      '## Tool and image versions of the run',
      '',
      '| lab | versions |',
      '| --- | --- |',
      ...list(versions, room, (n) => `| … | and ${n} more labs (see the run) |`),
      '',
      '## Before merging',
      '',
      'The update rewrites only the outputs inside terminal blocks. Read the prose around each changed output: a sentence that explains the old output (a count, an address, a version, a line it points at) may now be wrong and need editing in this branch.',
      '',
      'Checks do not start on a pull request opened by the workflow; close and reopen it (or push to the branch) to run them.',
      '',
      '## Report',
      '',
      withReports ? reports : `The full report is too long for a pull request body; read it in the run's summary: ${runUrl}`,
      '',
    ].join('\n');
  const render = (room: number, withReports: boolean) => redactSecrets(draft(room, withReports));
  let body = render(Number.MAX_SAFE_INTEGER, true);
  if (body.length <= limit) return body;
  for (let room = Math.max(pages.length, blocks.length, versions.length); room >= 0; room = room > 8 ? Math.floor(room / 2) : room - 1) {
    body = render(room, false);
    if (body.length <= limit) return body;
  }
  return body.slice(0, limit); // only a tiny limit gets here
}

async function main(argv: string[]): Promise<number> {
  const [cmd, dir, a, b] = argv;
  if (cmd === 'state' && dir && a && /^\d+$/.test(a)) {
    console.log(nightState(readShards(dir), Number(a)));
    return 0;
  }
  if (cmd === 'body' && dir && a && b) {
    process.stdout.write(renderPrBody(readShards(dir), a, b));
    return 0;
  }
  console.error('usage: drift-pr-body.ts state DIR SHARDS | body DIR RUN_URL DATE');
  return 2;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
