import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { MdxjsEsm } from 'mdast-util-mdxjs-esm';
import type { Block } from '../model/block.ts';
import { matrixRecordName } from '../model/k8s-matrix.ts';
import type { LabRecord } from '../record/types.ts';
import { defaultImportProgram, expressionProgram, valueToEstree } from './estree.ts';
import { labVersions, versionChips, type VersionChip } from './k8s-versions.ts';
import type { ContentLocation } from './locate-content.ts';
import { loadLabRecord, type PageContext } from './page-context.ts';

/** The name the "Verified on" component gets in a step page's scope. */
export const VERSIONS_COMPONENT = 'LabsVerifiedOn';

/**
 * The "Verified on Kubernetes …" chips of one step page of a kind lab, from the lab's pinned
 * record and its `kind.matrix` records, judged against the page's blocks as they are now. None
 * for other pages and labs.
 */
export async function stepVersionChips(location: ContentLocation, context: PageContext, blocks: Block[]): Promise<VersionChip[]> {
  const config = context.config;
  if (location.section !== 'labs' || !location.labId || config?.target !== 'kind') return [];
  const versionRecords: Record<string, LabRecord> = {};
  for (const e of config.kind?.matrix ?? []) {
    const r = await loadLabRecord(location.root, matrixRecordName(location.labId, e.kubernetes));
    if (r) versionRecords[e.kubernetes] = r;
  }
  const step = { slug: location.slug, file: location.file, title: location.slug, route: `labs/${location.labId}/${location.slug}`, blocks };
  return versionChips(labVersions({ id: location.labId, config, steps: [step], ...(context.record ? { record: context.record } : {}), versionRecords }, location.slug));
}

/** `<LabsVerifiedOn versions={…} paragraph />` and its import, for the top of a step page. */
export function stepVersionNodes(chips: VersionChip[], component: string): { element: MdxJsxFlowElement; importNode: MdxjsEsm } {
  return {
    element: {
      type: 'mdxJsxFlowElement',
      name: VERSIONS_COMPONENT,
      attributes: [
        { type: 'mdxJsxAttribute', name: 'versions', value: { type: 'mdxJsxAttributeValueExpression', value: JSON.stringify(chips), data: { estree: expressionProgram(valueToEstree(chips)) } } },
        { type: 'mdxJsxAttribute', name: 'paragraph', value: null },
      ],
      children: [],
    },
    importNode: { type: 'mdxjsEsm', value: `import ${VERSIONS_COMPONENT} from ${JSON.stringify(component)};`, data: { estree: defaultImportProgram(VERSIONS_COMPONENT, component) } },
  };
}
