/** The authoring guide: error hints point into it, and tests check that every section they name exists. */
export const GUIDE_FILE = 'content/docs/writing-a-lab.mdx';

/** Where the guide is served on the site (without the base path). */
export const GUIDE_ROUTE = 'docs/writing-a-lab/';

/** Sections of the guide that hints name (their headings, exactly). */
export const GUIDE_SECTIONS = {
  lab: 'A lab is a folder',
  steps: 'Steps are MDX pages',
  blocks: 'Terminal blocks',
  options: 'Block options',
  config: 'lab.yaml, key by key',
  where: 'Where the commands run',
} as const;

export type GuideSection = keyof typeof GUIDE_SECTIONS;

/**
 * The anchor the site gives a heading, by the rules of the slugger Starlight uses for plain
 * ASCII headings: lower case, punctuation dropped, each space a dash
 * (`lab.yaml, key by key` → `labyaml-key-by-key`).
 */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** The site address of a section, without the base path: `docs/writing-a-lab/#block-options`. */
export function guideHref(section: GuideSection): string {
  return `${GUIDE_ROUTE}#${headingAnchor(GUIDE_SECTIONS[section])}`;
}

/**
 * `(see "Block options" in content/docs/writing-a-lab.mdx, /docs/writing-a-lab/#block-options on the site)`:
 * where a hint sends the author, as a file to open and as the page's address. The site's link
 * check resolves every such address.
 */
export function seeGuide(section: GuideSection): string {
  return `(see "${GUIDE_SECTIONS[section]}" in ${GUIDE_FILE}, /${guideHref(section)} on the site)`;
}
