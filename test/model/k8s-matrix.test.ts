import { describe, expect, it } from 'vitest';
import { imageMinor, matrixRecordName, planMatrix, selectK8sVersion, versionMinor } from '../../src/model/k8s-matrix.ts';
import { LabConfigSchema } from '../../src/model/lab.ts';

// A made-up digest: these tests check the shape of a pin, never a real image.
const FAKE = `sha256:${'ab'.repeat(32)}`;
const pinned = `kindest/node:v1.37.0@${FAKE}`;

describe('the Kubernetes version matrix', () => {
  it('runs an entry only with a node image of its minor release pinned by digest, and says why not otherwise', () => {
    const plan = planMatrix('lab', {
      kind: {
        config: 'kind.yaml',
        image: pinned,
        matrix: [
          { kubernetes: '1.36', image: `kindest/node:v1.36.4@${FAKE}` },
          { kubernetes: '1.35' },
          { kubernetes: '1.34', image: 'kindest/node:v1.34.2' },
          { kubernetes: '1.33', image: `kindest/node:v1.32.1@${FAKE}` },
          { kubernetes: '1.37', image: `kindest/node:v1.37.0@${FAKE}` },
        ],
      },
    });
    expect(plan[0]).toEqual({ kubernetes: '1.36', image: `kindest/node:v1.36.4@${FAKE}`, record: 'lab@1.36' });
    expect(plan[1]!.held).toMatch(/^no node image pinned for Kubernetes 1\.35: set kind\.matrix image to kindest\/node:v1\.35\.<patch>@sha256:<digest>/);
    expect(plan[2]!.held).toBe('kindest/node:v1.34.2 is not pinned by digest (kindest/node:v1.34.<patch>@sha256:<64 hex digits>)');
    expect(plan[3]!.held).toBe(`kindest/node:v1.32.1@${FAKE} is Kubernetes 1.32, not 1.33`);
    expect(plan[4]!.held).toBe("Kubernetes 1.37 is the pinned node image's already (kind.image)");
    expect(planMatrix('lab', { kind: { config: 'kind.yaml' } })).toEqual([]);
  });

  it('names records per version and reads the minor release of an image', () => {
    expect(matrixRecordName('k8s-networking-101', '1.36')).toBe('k8s-networking-101@1.36');
    expect(imageMinor(pinned)).toBe('1.37');
    expect(imageMinor('nginx:1.27')).toBeUndefined();
  });

  it('is a lab.yaml extension that takes minor releases only', () => {
    const ok = LabConfigSchema.safeParse({ title: 't', target: 'kind', kind: { config: 'k.yaml', matrix: [{ kubernetes: '1.36' }] } });
    expect(ok.success).toBe(true);
    const bad = LabConfigSchema.safeParse({ title: 't', target: 'kind', kind: { config: 'k.yaml', matrix: [{ kubernetes: 'v1.36.1' }] } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('a Kubernetes minor release, e.g. 1.36');
    expect(LabConfigSchema.safeParse({ title: 't', target: 'kind', kind: { config: 'k.yaml', matrix: [{ kubernetes: '1.36', digest: 'x' }] } }).success).toBe(false);
  });

  it('selects the pinned image or a ready matrix entry for --k8s, and says why not otherwise', () => {
    const config = { kind: { config: 'k.yaml', image: pinned, matrix: [{ kubernetes: '1.36', image: `kindest/node:v1.36.4@${FAKE}` }, { kubernetes: '1.35' }] } };
    expect(selectK8sVersion('lab', config, '1.37')).toEqual({ image: pinned, record: 'lab', pinned: true, kubernetes: '1.37' });
    expect(selectK8sVersion('lab', config, '1.36')).toEqual({ image: `kindest/node:v1.36.4@${FAKE}`, record: 'lab@1.36', pinned: false, kubernetes: '1.36' });
    expect(selectK8sVersion('lab', config, '1.35')).toMatchObject({ key: 'matrix', problem: expect.stringMatching(/^lab cannot run on Kubernetes 1\.35: no node image pinned/) });
    expect(selectK8sVersion('lab', config, '1.34')).toMatchObject({ key: 'matrix', problem: 'Kubernetes 1.34 is not among the versions lab is verified on (1.37 (kind.image), 1.36, 1.35)' });
    expect(selectK8sVersion('lab', { kind: { config: 'k.yaml' } }, '1.37')).toMatchObject({ problem: 'Kubernetes 1.37 is not among the versions lab is verified on' });
  });

  it('reads the minor release of a server version, and nothing from what is not one', () => {
    expect(versionMinor('v1.36.4')).toBe('1.36');
    expect(versionMinor('v1.36.4+k3s1')).toBe('1.36');
    expect(versionMinor('1.35')).toBe('1.35');
    expect(versionMinor('v1')).toBeUndefined();
    expect(versionMinor('v1.36x')).toBeUndefined();
    expect(versionMinor('v1.361.0')).toBe('1.361');
    expect(versionMinor(undefined)).toBeUndefined();
    expect(versionMinor('unknown')).toBeUndefined();
  });
});
