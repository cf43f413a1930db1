import { constants, lstatSync, realpathSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path the runner would write or start a session in lies outside the lab's work folder. */
export class WorkFolderError extends Error {}

/** Whether `path` is `root` or below it (both absolute, already real paths). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

/**
 * Checks a session's working directory before its shell starts: it must exist and, symlinks
 * resolved, lie inside the work folder `root`. Looked at synchronously (the native realpath, as
 * the asynchronous one is): each asynchronous look waits for a thread-pool job, and this one
 * stands between a run's start and its first block.
 */
export async function checkSessionCwd(root: string, cwd: string, session: string): Promise<void> {
  const realRoot = realpathSync.native(root);
  const shown = relative(root, cwd) || '.';
  let real: string;
  try {
    real = realpathSync.native(cwd);
  } catch {
    throw new WorkFolderError(`session ${session}: its working directory ${shown} (cwd: in lab.yaml) does not exist in the work folder; create it in an earlier block (mkdir -p ${shown})`);
  }
  if (!isInside(realRoot, real)) throw new WorkFolderError(`session ${session}: its working directory ${shown} leads to ${real}, outside the lab's work folder`);
  if (!lstatSync(real).isDirectory()) throw new WorkFolderError(`session ${session}: its working directory ${shown} is not a folder`);
}

/**
 * Writes a `file=` block's content at `relPath` below `cwd`, never outside `root`: `cwd` must lie
 * inside the work folder (real paths compared), every folder on the way is created or must be a
 * real folder (a symlink is refused), and the file is opened without following a symlink.
 */
export async function writeFileInside(root: string, cwd: string, relPath: string, content: string): Promise<void> {
  const realRoot = await realpath(root);
  let dir = await realpath(cwd).catch(() => {
    throw new WorkFolderError(`the session's working directory ${cwd} no longer exists`);
  });
  if (!isInside(realRoot, dir)) {
    throw new WorkFolderError(`file=${relPath} would be written in ${dir}, outside the lab's work folder (did an earlier command cd out of it?)`);
  }
  const parts = relPath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new WorkFolderError(`file=${relPath} is not a path below the session's working directory`);
  const name = parts.pop()!;
  for (const part of parts) {
    dir = resolve(dir, part);
    const info = await lstatQuiet(dir);
    if (!info) await mkdir(dir);
    else if (info.isSymbolicLink()) throw new WorkFolderError(`file=${relPath}: ${part} is a symlink; the runner does not write through symlinks`);
    else if (!info.isDirectory()) throw new WorkFolderError(`file=${relPath}: ${part} is not a folder`);
  }
  const target = resolve(dir, name);
  let handle;
  try {
    handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new WorkFolderError(`file=${relPath} is a symlink; the runner does not write through symlinks`);
    throw e;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

async function lstatQuiet(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch {
    return undefined;
  }
}
