import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROOT } from '../fixtures/site/make-records.ts';
import { buildVersionRecords, VERSIONS_LAB, VERSIONS_ROOT } from '../fixtures/site/make-version-records.ts';
import { labVersions } from '../../src/site/k8s-versions.ts';
import { loadSite, type SiteLab } from '../../src/site/load-site.ts';
import { collectBlockRows, strictProblems } from '../../src/site/site-status.ts';

let lab: SiteLab;
beforeAll(async () => {
  const site = await loadSite([VERSIONS_ROOT]);
  lab = site.labs.find((l) => l.id === VERSIONS_LAB)!;
});

const brief = (vs: ReturnType<typeof labVersions>) => vs.map((v) => `${v.kubernetes}${v.pinned ? '*' : ''} ${v.kind}`);

describe('the Kubernetes releases a kind lab is verified on', () => {
  it('fixture records match the fixture lab (run `node test/fixtures/site/make-version-records.ts` after editing it)', async () => {
    for (const [name, record] of Object.entries(await buildVersionRecords())) {
      const onDisk = JSON.parse(await readFile(path.join(VERSIONS_ROOT, 'verification', name), 'utf8'));
      expect(onDisk, name).toEqual(JSON.parse(JSON.stringify(record)));
    }
  });

  it('lists the pinned release and each matrix release, oldest first, each judged by its own record', () => {
    expect(Object.keys(lab.versionRecords ?? {})).toEqual(['1.36']);
    const vs = labVersions(lab);
    expect(brief(vs)).toEqual(['1.35 unverified', '1.36 drifted', '1.37* verified']);
    expect(vs[0]!.note).toBe('never run on this release');
    expect(vs[1]!.drifted.map((r) => r.id)).toEqual(['02-namespaces-1']);
    expect(vs[1]!.record?.kubernetes?.server).toBe('v1.36.4');
    expect(vs[2]!.counts).toMatchObject({ total: 3, verified: 3 });
  });

  it('narrows to one step: step 1 passed on 1.36, step 2 drifted there', () => {
    expect(brief(labVersions(lab, '01-nodes'))).toEqual(['1.35 unverified', '1.36 verified', '1.37* verified']);
    expect(brief(labVersions(lab, '02-namespaces'))).toEqual(['1.35 unverified', '1.36 drifted', '1.37* verified']);
  });

  it('keeps the strict build gate on the pinned record: drift on 1.36 does not fail it, drift in the pinned record does', () => {
    expect(strictProblems(collectBlockRows(lab))).toEqual([]);
    const drifted = { ...lab, record: lab.versionRecords!['1.36']! };
    expect(strictProblems(collectBlockRows(drifted)).map((p) => p.message)).toEqual(['block drifted: the last run printed something else (id 02-namespaces-1)']);
  });

  it('trusts a record only for the release and image it says it ran on', () => {
    const r136 = lab.versionRecords!['1.36']!;
    const wrong = [
      { ...r136, kubernetes: { ...r136.kubernetes!, minor: '1.35' } },
      { ...r136, kubernetes: { ...r136.kubernetes!, nodeImage: 'kindest/node:v1.36.1@sha256:' + '0'.repeat(64) } },
      { ...r136, kubernetes: { ...r136.kubernetes!, server: 'v1.37.0' } },
      { ...r136, kubernetes: undefined },
    ];
    for (const rec of wrong) {
      const v = labVersions({ ...lab, versionRecords: { '1.36': rec } })[1]!;
      expect(v.kind).toBe('unverified');
      expect(v.note).toMatch(/^its record is not of kindest\/node:v1\.36\.4@sha256:/);
    }
    // A pinned record whose cluster ran another release says nothing about the pinned one.
    const env = lab.record!.environment;
    const other = labVersions({ ...lab, record: { ...lab.record!, environment: { ...env, versions: { ...env.versions, kubernetes: 'v1.36.4' } } } });
    expect(brief(other)[2]).toBe('1.37* unverified');
    expect(other[2]!.note).toBe('the last run reported Kubernetes v1.36.4, not 1.37');
  });

  it('counts an edited block as not yet verified on every release until it runs again', () => {
    const edited = { ...lab, steps: lab.steps.map((s, i) => (i === 0 ? { ...s, blocks: s.blocks.map((b, j) => (j === 0 && b.kind === 'command' ? { ...b, commands: [{ ...b.commands[0]!, text: 'kubectl get nodes' }] } : b)) } : s)) };
    expect(brief(labVersions(edited, '01-nodes'))).toEqual(['1.35 unverified', '1.36 unverified', '1.37* unverified']);
  });

  it('is empty for a local lab, and for a kind lab whose pinned release is unknown', async () => {
    const site = await loadSite([FIXTURE_ROOT]);
    expect(labVersions(site.labs.find((l) => l.id === 'netns-basics')!)).toEqual([]);
    expect(labVersions({ ...lab, config: { ...lab.config, kind: { config: 'kind.yaml' } }, record: undefined })).toEqual([]);
  });
});
