import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlockResult } from '../model/result.ts';
import type { LabRunResult } from '../report/types.ts';
import { summarise } from '../report/summary.ts';
import { redactRun } from '../redact/redact-run.ts';
import type { LabRecord, RecordKubernetes } from './types.ts';

/** Where a lab's record lives: `<records folder>/<lab-id>.json` (the project's folder is `verification/`). */
export function recordPath(recordsDir: string, labId: string): string {
  return join(recordsDir, `${labId}.json`);
}

/** Reads a record; undefined when there is none or it is unreadable (the site then shows "not yet verified"). */
export async function readRecord(path: string): Promise<LabRecord | undefined> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as LabRecord;
    return data && data.version === 1 && Array.isArray(data.blocks) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the record of a run. Blocks this run did not reach (a single step was verified, or the
 * run was interrupted) keep their previous result, so the file always describes every block.
 */
export function buildRecord(run: LabRunResult, previous: LabRecord | undefined, kubernetes?: RecordKubernetes): LabRecord {
  // Redacting an already redacted run changes nothing, so callers may pass either.
  const fresh = new Map(redactRun(run).results.map((r) => [r.id, r]));
  const old = new Map((previous?.blocks ?? []).map((r) => [r.id, r]));
  const blocks: BlockResult[] = [];
  for (const step of run.lab.steps) {
    for (const b of step.blocks) {
      const r = fresh.get(b.id) ?? old.get(b.id);
      if (r) blocks.push(r);
    }
  }
  return {
    version: 1,
    lab: run.lab.id,
    title: run.lab.config.title,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    environment: run.environment,
    summary: summarise(blocks),
    partial: run.interrupted,
    blocks,
    ...(kubernetes ? { kubernetes } : {}),
  };
}

/** Writes a file atomically (temp file + rename), creating its folder. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/** Where a record goes when it is not the lab's pinned one. */
export interface WriteRecordOptions {
  /** File name without `.json`: `<lab>@<minor>` for a Kubernetes matrix run. @default the lab id */
  name?: string;
  /** The Kubernetes release of a matrix run, kept in the record. */
  kubernetes?: RecordKubernetes;
}

/** Writes `<records folder>/<lab-id>.json` (or `<name>.json`), merging with the previous record. */
export async function writeRecord(recordsDir: string, run: LabRunResult, o: WriteRecordOptions = {}): Promise<string> {
  const path = recordPath(recordsDir, o.name ?? run.lab.id);
  const record = buildRecord(run, await readRecord(path), o.kubernetes);
  await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}
