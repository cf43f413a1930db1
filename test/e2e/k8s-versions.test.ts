/**
 * "Verified on Kubernetes 1.35 · 1.36 · 1.37" on the built site, from the fixture kind lab of
 * test/fixtures/site/versions: its pinned record (1.37, every block passed), its 1.36 record
 * (step 2 drifted) and no 1.35 record. The lab page shows the line for the lab and per step;
 * the status page shows the releases with their drift.
 */
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite, watchConsoleErrors } from './site.ts';

const LAB = 'kind-versions';
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

/** Each release of a "Verified on" line with the status it shows: `1.36 drifted`. */
const releases = (line: Locator) => line.locator('.lb-k8s__v').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.k8s} ${(e as HTMLElement).dataset.status}`));

describe('the Kubernetes releases a kind lab is verified on', () => {
  it('the lab page says it for the lab and for each step, oldest release first, each with its status', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    watchConsoleErrors(page, (e) => errors.push(e));
    await page.goto(site.url(`labs/${LAB}/`));
    const labLine = page.locator('.lb-versions .lb-k8s');
    expect(await labLine.count()).toBe(1);
    expect(await releases(labLine)).toEqual(['1.35 unverified', '1.36 drifted', '1.37 verified']);
    // Screen readers hear each status in words, not only the colour and icon.
    expect((await labLine.innerText()).replace(/\s+/g, ' ').trim()).toBe('Verified on Kubernetes ○ 1.35 not yet verified, · ✗ 1.36 drifted, · ✓ 1.37 verified, pinned');
    // …while the eye sees icons and colours: the words are visually hidden.
    expect(await labLine.locator('.sr-only').first().evaluate((e) => getComputedStyle(e).position)).toBe('absolute');
    expect(await labLine.locator('[data-k8s="1.36"]').getAttribute('title')).toBe('Kubernetes 1.36: drifted; 1 block drifted; last run 12 May 2026');
    const steps = page.locator('.lb-steps > li');
    expect(await steps.count()).toBe(2);
    expect(await releases(steps.nth(0).locator('.lb-k8s'))).toEqual(['1.35 unverified', '1.36 verified', '1.37 verified']);
    expect(await releases(steps.nth(1).locator('.lb-k8s'))).toEqual(['1.35 unverified', '1.36 drifted', '1.37 verified']);
    await page.locator('main').screenshot({ path: process.env.K8S_LAB_SCREENSHOT ?? '/tmp/k8s-versions-lab.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('each step page of a kind lab opens with its own line; a lab never verified does not claim to be', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await page.goto(site.url(`labs/${LAB}/02-namespaces/`));
    const line = page.locator('main p.lb-k8s');
    expect(await line.count()).toBe(1);
    expect(await releases(line)).toEqual(['1.35 unverified', '1.36 drifted', '1.37 verified']);
    expect((await line.innerText()).startsWith('Verified on Kubernetes')).toBe(true);
    await page.screenshot({ path: process.env.K8S_STEP_SCREENSHOT ?? '/tmp/k8s-versions-step.png' });
    await page.goto(site.url(`labs/${LAB}/01-nodes/`));
    expect(await releases(page.locator('main p.lb-k8s'))).toEqual(['1.35 unverified', '1.36 verified', '1.37 verified']);
    // The project's own kind lab has no record yet: its line says so, release by release.
    await page.goto(site.url('labs/k8s-networking-101/01-pod-networking/'));
    const own = page.locator('main p.lb-k8s');
    expect(await releases(own)).toEqual(['1.35 unverified', '1.36 unverified', '1.37 unverified']);
    expect((await own.innerText()).startsWith('Not yet verified on Kubernetes')).toBe(true);
    // A local lab's steps have none.
    await page.goto(site.url('labs/netns-basics/01-namespaces/'));
    expect(await page.locator('.lb-k8s').count()).toBe(0);
    await page.close();
  });

  it('the status page shows every release with its drift, the pinned one marked, and the lab badges from the pinned record', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(site.url('status/'));
    const table = page.locator(`#k8s-${LAB}`);
    const rows = table.locator('tbody tr');
    expect(await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.k8s))).toEqual(['1.37', '1.36', '1.35']);
    const cells = async (k8s: string) => (await table.locator(`tr[data-k8s="${k8s}"] > *`).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(await cells('1.37')).toEqual(['1.37 (pinned) kindest/node:v1.37.0', '✓ Verified 3 verified 12 May 2026, server v1.37.0', 'none']);
    expect(await cells('1.36')).toEqual(['1.36 kindest/node:v1.36.4', '✗ Drifted 2 verified · 1 drifted 12 May 2026, server v1.36.4', '02-namespaces-1 02-namespaces.mdx:8']);
    expect(await cells('1.35')).toEqual(['1.35 kindest/node:v1.35.8', '○ Not yet verified 3 not yet verified never run', 'none']);
    // The image is pinned by digest; the whole reference is in the tooltip.
    expect(await table.locator('tr[data-k8s="1.36"] code').first().getAttribute('title')).toBe('kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed');
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers).toEqual(['Kubernetes', 'Status', 'Drifted blocks']);
    // The drifted block links to its place on the lab page.
    const link = table.locator('tr[data-k8s="1.36"] a');
    expect(await link.getAttribute('href')).toMatch(/\/labs\/kind-versions\/02-namespaces\/#/);
    // The block table and its badges stay those of the pinned record: nothing drifted there.
    const section = page.locator('section').filter({ has: page.locator(`h2#lab-${LAB}`) });
    expect(await section.locator('.lb-status-table:not(.lb-k8s-table) .lb-badge--drifted').count()).toBe(0);
    expect(await section.locator('.lb-status-table:not(.lb-k8s-table) .lb-badge--verified').count()).toBe(3);
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: process.env.K8S_STATUS_SCREENSHOT ?? '/tmp/k8s-versions-status.png' });
    // The summary names the drift on another release, apart from the pinned drift list.
    expect((await page.locator('.lb-matrix-drift').innerText()).replace(/\s+/g, ' ')).toBe('Drifted on other Kubernetes releases: Nodes on three releases on 1.36 (1 block)');
    // A lab that is not a kind lab has no releases to show.
    expect(await page.locator('#k8s-netns-basics').count()).toBe(0);
    await page.close();
  });
});
