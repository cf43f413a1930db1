/** Types of launch.js (plain JavaScript, so that start-up loads nothing else). */
export declare const PROJECT_ROOT: string;
export declare const BUNDLE_FORMAT: string;
export declare const BUNDLE_MAIN: string;
export declare const BUNDLE_SCRIPT: string;
export declare const SCRIPT_WRAPPER: readonly [string, string];
export declare function cacheRoot(root?: string): string;
export declare function statLine(path: string): string;
export declare function sourceStamp(root?: string): string;
export declare function dependencyStamp(files: readonly string[]): string;
export declare function codeCacheKey(command: string | undefined): string;
export declare function findBundle(root?: string): { stamp: string; dir: string; entry: string | undefined };
export declare function loadMain(env?: NodeJS.ProcessEnv): Promise<typeof import('../src/cli/main.ts')>;
