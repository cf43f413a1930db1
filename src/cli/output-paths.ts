import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/** Kernel folders: writing a report there hangs or fails in odd ways, never what was meant. */
const KERNEL_DIRS = ['/proc', '/sys', '/dev'];

/**
 * Why `path` cannot be written as a file (`kind: 'file'`, a report) or used as a folder of
 * files (`kind: 'dir'`, the records), checked before anything runs; undefined when it can.
 * Nothing is created: only the nearest existing folder is looked at.
 */
export function checkOutputPath(path: string, kind: 'file' | 'dir'): string | undefined {
  const abs = resolve(path);
  let existing = abs;
  let info = statQuiet(existing);
  while (!info && dirname(existing) !== existing) {
    existing = dirname(existing);
    info = statQuiet(existing);
  }
  const real = realQuiet(existing) ?? existing;
  const kernel = KERNEL_DIRS.find((k) => real === k || real.startsWith(k + sep));
  if (kernel) return `${path} is under ${kernel}, a kernel folder, not a place for ${kind === 'file' ? 'a report' : 'records'}`;
  if (existing === abs && info) {
    if (kind === 'file' && info.isDirectory()) return `${path} is a folder, not a file`;
    if (kind === 'file' && !info.isFile()) return `${path} exists and is not a regular file`;
    if (kind === 'dir' && !info.isDirectory()) return `${path} exists and is not a folder`;
    const target = kind === 'file' ? dirname(abs) : abs;
    if (!writable(target)) return `${kind === 'file' ? dirname(path) : path} is not writable for this user`;
    return undefined;
  }
  if (!info?.isDirectory()) return `${existing} is a file, so ${path} cannot be created under it`;
  if (!writable(existing)) return `${path} cannot be created: ${existing} is not writable for this user`;
  return undefined;
}

function statQuiet(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function realQuiet(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
