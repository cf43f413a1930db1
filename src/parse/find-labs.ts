import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['node_modules', 'dist', 'verification']);

/**
 * Lists the lab folders (absolute paths, sorted) under `root`: `root` itself when it holds
 * lab.yaml; else every folder holding lab.yaml below `root/content/labs` when that exists, or
 * below `root`. Lab folders are not searched further; hidden folders and node_modules are skipped.
 */
export async function findLabs(root: string): Promise<string[]> {
  const abs = path.resolve(root);
  if (await exists(path.join(abs, 'lab.yaml'))) return [abs];
  const labsDir = path.join(abs, 'content', 'labs');
  const start = (await exists(labsDir)) ? labsDir : abs;
  const found: string[] = [];
  await walk(start, found);
  return found.sort();
}

async function walk(dir: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (entries.some((e) => e.isFile() && e.name === 'lab.yaml')) {
    found.push(dir);
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name)) await walk(path.join(dir, e.name), found);
  }
}

/**
 * Whether a file or folder exists at `p`. Looked at synchronously, as the folders are walked: an
 * asynchronous look waits for a thread-pool job, about a millisecond each before a run starts.
 */
export async function exists(p: string): Promise<boolean> {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
