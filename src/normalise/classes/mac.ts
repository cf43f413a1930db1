import type { VolatileClass } from './types.ts';
import { builtinPattern, hasColons, HEX_DIGITS } from './shared.ts';

const X = '[0-9a-fA-F]{2}';

/** MAC addresses, `42:a5:ba:f7:76:97`. */
export const macClass: VolatileClass = {
  name: 'mac',
  label: 'MAC address',
  noun: 'interface',
  pattern: builtinPattern(`(?=[0-9a-fA-F])(?<![\\w:.-])${X}(?::${X}){5}(?![\\w:-])`),
  hint: (line) => hasColons(line, 5),
  bind: true,
  starts: { pairs: [[HEX_DIGITS, HEX_DIGITS]], notAfter: ':.-', test: (line, q) => line.charCodeAt(q + 2) === 58 },
  // A tool prints MACs in one case: a lower-case example stands only for a lower-case address.
  matcherFor: (example) => (/[a-f]/.test(example) && !/[A-F]/.test(example) ? lower : /[A-F]/.test(example) && !/[a-f]/.test(example) ? upper : macClass.pattern),
};

const lower = new RegExp('(?=[0-9a-f])(?<![\\w:.-])[0-9a-f]{2}(?::[0-9a-f]{2}){5}(?![\\w:-])', 'g');
const upper = new RegExp('(?=[0-9A-F])(?<![\\w:.-])[0-9A-F]{2}(?::[0-9A-F]{2}){5}(?![\\w:-])', 'g');
