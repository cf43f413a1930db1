/**
 * Completes package-lock.json with the platform-specific optional packages that the registry
 * this project is installed from does not serve (e.g. macOS and Windows builds of native
 * bindings). npm leaves them out of the lock when it cannot fetch them, and `npm ci` then
 * refuses the lock as out of sync. Each is added as an optional entry with its os/cpu, so npm
 * skips it on other platforms and fetches it by name and version where it is needed.
 *
 * Run after changing dependencies:  npm install && node scripts/lockfile-platforms.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const OS: Record<string, string> = { darwin: 'darwin', linux: 'linux', win32: 'win32', windows: 'win32', android: 'android', freebsd: 'freebsd', openbsd: 'openbsd', sunos: 'sunos', aix: 'aix' };
const CPU: Record<string, string> = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', wasm32: 'wasm32', riscv64: 'riscv64', s390x: 's390x', ppc64: 'ppc64', loong64: 'loong64' };

/** Reads os, cpu and libc from a platform package name such as `binding-linux-arm64-musl`. */
export function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> {
  const parts = name.split('/').pop()!.split('-');
  const os = parts.map((p) => OS[p]).find(Boolean);
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') ? 'glibc' : undefined;
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc: [libc] } : {}) };
}

/** Adds the missing optional platform entries; returns the names added. */
export function completeLock(lock: { packages: Record<string, LockEntry> }): string[] {
  const added: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path ? `${path}/` : ''}node_modules/${dep}`;
      const hoisted = `node_modules/${dep}`;
      if (lock.packages[nested] || lock.packages[hoisted]) continue;
      if (!/^\d+\.\d+\.\d+/.test(version)) continue; // only exact versions can be pinned this way
      lock.packages[hoisted] = { version, optional: true, ...platformOf(dep) };
      added.push(`${dep}@${version}`);
    }
  }
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  return added;
}

if (import.meta.main) {
  const file = resolve(process.argv[2] ?? 'package-lock.json');
  const lock = JSON.parse(await readFile(file, 'utf8'));
  const added = completeLock(lock);
  await writeFile(file, JSON.stringify(lock, null, 2) + '\n');
  console.log(added.length ? `added ${added.length} optional platform entries:\n  ${added.join('\n  ')}` : 'lock file already complete');
}
