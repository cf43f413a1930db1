/** The authoring guide: error hints point into it, and a test checks that every section they name exists. */
export const GUIDE_FILE = 'content/docs/writing-a-lab.mdx';

/** Sections of the guide that hints name (their headings, exactly). */
export const GUIDE_SECTIONS = {
  lab: 'A lab is a folder',
  steps: 'Steps are MDX pages',
  blocks: 'Terminal blocks',
  options: 'Block options',
} as const;

/** `(see content/docs/writing-a-lab.mdx, "Block options")`: where a hint sends the author. */
export function seeGuide(section: keyof typeof GUIDE_SECTIONS): string {
  return `(see ${GUIDE_FILE}, "${GUIDE_SECTIONS[section]}")`;
}
