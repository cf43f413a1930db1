import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/model/location.ts';
import { extractBlocks } from '../../src/parse/extract-blocks.ts';
import { checkManifests, findUnknownFields, ModelRegistry, replaceAt, toPointer, validateManifest } from '../../src/parse/manifests/index.ts';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/manifests');
const registry = new ModelRegistry();

interface Expected {
  line: number;
  column?: number;
  includes: string[];
  hint?: string;
}

async function checkFixture(name: string): Promise<Problem[]> {
  const file = `${name}/step.mdx`;
  const source = readFileSync(path.join(FIXTURES, file), 'utf8');
  const { blocks, problems } = extractBlocks(source, { file, slug: 'step', sessions: {} });
  expect(problems).toEqual([]);
  return checkManifests(blocks, { registry });
}

describe('checkManifests on fixture steps', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`${name}: reports exactly the expected problems, at their lines in the step file`, async () => {
      const expected = JSON.parse(readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected[];
      const problems = await checkFixture(name);
      expect(problems.map(formatProblem), 'problems found').toHaveLength(expected.length);
      problems.forEach((p, i) => {
        const want = expected[i]!;
        expect(p.location.file).toBe(`${name}/step.mdx`);
        expect(p.location.line, formatProblem(p)).toBe(want.line);
        if (want.column !== undefined) expect(p.location.column, formatProblem(p)).toBe(want.column);
        for (const text of want.includes) expect(p.message).toContain(text);
        if (want.hint !== undefined) expect(p.hint).toBe(want.hint);
        expect(p.stage).toBe('parse');
      });
    });
  }
});

describe('the acceptance case: a misspelt field in a Deployment', () => {
  it('names the step file, the line inside it, the field path and a hint', async () => {
    const [problem] = (await checkFixture('typo')).filter((p) => p.message.includes('contianers'));
    expect(problem).toBeDefined();
    expect(formatProblem(problem!)).toBe(
      'typo/step.mdx:20:7 unknown field "spec.template.spec.contianers" in Deployment website (website.yaml) — did you mean "containers"?',
    );
  });

  it('does not also report the required field the typo left missing', async () => {
    const problems = await checkFixture('typo');
    expect(problems.some((p) => p.message.includes('required field "spec.template.spec.containers"'))).toBe(false);
  });
});

describe('validateManifest', () => {
  const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'httpd:2.4.65' }] } };

  it('accepts a valid object and says it was checked', async () => {
    const report = await validateManifest(deployment({ selector: { matchLabels: { app: 'web' } }, template }), registry);
    expect(report).toEqual({ label: 'Deployment web', checked: true, issues: [] });
  });

  it('reports a missing required field at its parent', async () => {
    const report = await validateManifest(deployment({ template }), registry);
    expect(report.issues).toEqual([expect.objectContaining({ path: ['spec'], part: 'key', message: 'Deployment web is missing the required field "spec.selector"' })]);
  });

  it('treats labels, annotations and selectors as free-form maps, but still checks their values', async () => {
    const ok = await validateManifest(deployment({ selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, template: { ...template, metadata: { annotations: { 'linkerd.io/inject': 'enabled' } } } }), registry);
    expect(ok.issues).toEqual([]);
    const bad = await validateManifest(deployment({ selector: { matchLabels: { app: 7 } }, template }), registry);
    expect(bad.issues.map((i) => i.path)).toEqual([['spec', 'selector', 'matchLabels', 'app']]);
    expect(bad.issues[0]?.hint).toBe('quote it: "7"');
  });

  it('skips kinds of API groups no package ships (CRDs), whatever their fields', async () => {
    const report = await validateManifest({ apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name: 'website' }, spec: { anything: true } }, registry);
    expect(report).toEqual({ label: 'Mapping website', checked: false, issues: [] });
  });

  it('checks Gateway API kinds with the schemas of their package', async () => {
    const report = await validateManifest({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRef: [{ name: 'g' }] } }, registry);
    expect(report.checked).toBe(true);
    expect(report.issues[0]).toMatchObject({ path: ['spec', 'parentRef'], hint: 'did you mean "parentRefs"?' });
  });
});

describe('findUnknownFields', () => {
  it('finds undeclared keys at any depth, inside lists too, and nothing else', async () => {
    const found = await registry.lookup('v1', 'Pod');
    if (found.state !== 'known') throw new Error('Pod should be known');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labelz: {} }, spec: { containers: [{ name: 'a', image: 'b', imagePolicy: 'Always' }, { name: 'c', image: 'd' }] } };
    expect(findUnknownFields(pod, found.validate)).toEqual([
      ['metadata', 'labelz'],
      ['spec', 'containers', 0, 'imagePolicy'],
    ]);
  });
});

describe('replaceAt and toPointer', () => {
  it('copies only the containers on the path', () => {
    const doc = { a: { b: [1, { c: 2 }] }, d: { e: 3 } };
    const out = replaceAt(doc, ['a', 'b', 1, 'c'], 9) as typeof doc;
    expect(out).toEqual({ a: { b: [1, { c: 9 }] }, d: { e: 3 } });
    expect(doc.a.b[1]).toEqual({ c: 2 });
    expect(out.d).toBe(doc.d);
  });

  it('escapes keys the way Ajv reports instance paths', () => {
    expect(toPointer(['metadata', 'annotations', 'linkerd.io/inject'])).toBe('/metadata/annotations/linkerd.io~1inject');
    expect(toPointer(['a~b', 0])).toBe('/a~0b/0');
  });
});
