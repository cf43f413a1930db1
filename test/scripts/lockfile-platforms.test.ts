import { describe, expect, it } from 'vitest';
import { completeLock, platformOf } from '../../scripts/lockfile-platforms.ts';

describe('lockfile-platforms', () => {
  it('reads os, cpu and libc from platform package names', () => {
    expect(platformOf('@astrojs/compiler-binding-linux-arm64-musl')).toEqual({ os: ['linux'], cpu: ['arm64'], libc: ['musl'] });
    expect(platformOf('@pagefind/windows-x64')).toEqual({ os: ['win32'], cpu: ['x64'] });
    expect(platformOf('@astrojs/compiler-binding-wasm32-wasi')).toEqual({ cpu: ['wasm32'] });
  });

  it('adds only the optional dependencies the lock lacks, and is idempotent', () => {
    const lock = {
      packages: {
        '': { version: '1.0.0' },
        'node_modules/binding': { version: '0.5.1', optionalDependencies: { 'binding-linux-x64-gnu': '0.5.1', 'binding-darwin-arm64': '0.5.1' } },
        'node_modules/binding-linux-x64-gnu': { version: '0.5.1', optional: true, os: ['linux'], cpu: ['x64'] },
      },
    };
    expect(completeLock(lock)).toEqual(['binding-darwin-arm64@0.5.1']);
    expect(lock.packages).toHaveProperty(['node_modules/binding-darwin-arm64'], { version: '0.5.1', optional: true, os: ['darwin'], cpu: ['arm64'] });
    expect(Object.keys(lock.packages)[0]).toBe('');
    expect(completeLock(lock)).toEqual([]);
  });
});
