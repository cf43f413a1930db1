const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration of the lab format (contract §3) into milliseconds.
 * @example parseDuration('500ms') // 500
 * @example parseDuration('5m')    // 300000
 * @returns undefined when `s` is not `<digits><ms|s|m|h>`.
 */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d{1,9})(ms|s|m|h)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}
