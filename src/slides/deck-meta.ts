import * as z from 'zod/mini';
import '../model/zod-messages.ts';
import type { Problem } from '../model/location.ts';
import type { SlideSummary } from './remark-slides.ts';

/** A deck's frontmatter: what the title slide, the page title and the presenter's pacing use. */
export interface DeckMeta {
  title: string;
  /** e.g. "KubeCon + CloudNativeCon Europe". */
  event?: string;
  /** ISO date of the talk, e.g. "2026-03-24". */
  date?: string;
  author?: string;
  description?: string;
  /** Planned length in minutes; the presenter's pacing compares against it. */
  duration?: number;
  /** Id of the lab the deck goes with (`content/labs/<lab>`). */
  lab?: string;
  /** Canvas shape: `16:9` (1920×1080) or `4:3` (1440×1080, for 4:3 projectors). @default "16:9" */
  aspect?: '16:9' | '4:3';
  /** How `labs verify` runs the deck's command blocks (see `readDeckConfig`); validated there. */
  verify?: Record<string, unknown>;
}

/** The frontmatter schema (exported for its tests). */
export const DeckMetaSchema = z.strictObject({
  title: z.string().check(z.minLength(1)),
  event: z.optional(z.string()),
  // YAML reads an unquoted 2026-03-24 as a Date.
  date: z.optional(z.union([z.string(), z.pipe(z.date(), z.transform((d: Date) => d.toISOString().slice(0, 10)))])),
  author: z.optional(z.string()),
  description: z.optional(z.string()),
  duration: z.optional(z.number().check(z.positive())),
  lab: z.optional(z.string()),
  aspect: z.optional(z.enum(['16:9', '4:3'])),
  verify: z.optional(z.record(z.string(), z.unknown())),
});

/** Validates a deck's frontmatter; problems point at the deck file. */
export function readDeckMeta(frontmatter: unknown, file: string): { meta?: DeckMeta; problems: Problem[] } {
  const parsed = DeckMetaSchema.safeParse(frontmatter ?? {});
  if (parsed.success) {
    const meta: DeckMeta = { title: parsed.data.title };
    for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) (meta as unknown as Record<string, unknown>)[k] = v;
    return { meta, problems: [] };
  }
  return {
    problems: parsed.error.issues.map((issue) => ({
      stage: 'config',
      location: { file, line: 1, column: 1 },
      message: `frontmatter ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      hint: 'a deck takes title (required), event, date, author, description, duration (minutes), lab, aspect (16:9 or 4:3) and verify',
    })),
  };
}

/** A compiled deck module (`slides/<deck>.mdx` through remark-slides). */
export interface DeckModule {
  default: unknown;
  frontmatter?: unknown;
  slides: SlideSummary[];
}

/** `2026-03-24` → `24 March 2026` (dates only; anything else is shown as written). */
export function formatDeckDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}
