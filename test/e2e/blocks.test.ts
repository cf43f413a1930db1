/** Copy buttons and volatile-value tooltips on a built lab step, in headless Chromium. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticSite } from './serve.ts';
import { assertBuilt, detectBase, DIST, FIXTURE_STEP, launchBrowser } from './site.ts';

let site: StaticSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  assertBuilt();
  site = await serveStatic(DIST, detectBase());
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  page = await context.newPage();
  await page.goto(site.url(FIXTURE_STEP));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function copyFrom(blockId: string): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
  await page.click(`#${blockId} button.lb-copy`);
  await page.waitForFunction((id) => document.querySelector(`#${id} button.lb-copy`)?.getAttribute('data-state') === 'copied', blockId);
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('copy button', () => {
  it('copies exactly the commands: no prompt, no output', async () => {
    expect(await copyFrom('block-01-namespaces-1')).toBe('sudo ip netns add red\nsudo ip netns exec red ip -brief link');
  });

  it('keeps continuation lines', async () => {
    expect(await copyFrom('block-make-veth')).toBe('sudo ip link add veth-host type veth \\\n    peer name veth-red netns red\nsudo ip addr add 10.0.0.1/24 dev veth-host\nsudo ip link set veth-host up');
  });

  it('keeps a here-document whole', async () => {
    expect(await copyFrom('block-01-namespaces-6')).toBe("cat > hello.txt <<'EOF'\nhello from the host\nEOF\ncat hello.txt");
  });

  it('drops the prompt of a non-host session', async () => {
    expect(await copyFrom('block-01-namespaces-3')).toBe('ip addr add 10.0.0.2/24 dev veth-red\nip link set veth-red up');
  });

  it('copies the content of a file block', async () => {
    expect(await copyFrom('block-01-namespaces-5')).toBe('[namespace]\nname = red\naddress = 10.0.0.2/24');
  });

  it('says it copied, to the eye and to screen readers', async () => {
    await copyFrom('block-make-veth');
    expect(await page.textContent('#block-make-veth .lb-copy__text')).toBe('Copied');
    await page.waitForFunction(() => document.getElementById('lb-announcer')?.textContent === 'Copied to the clipboard');
  });

  it('falls back when the clipboard API refuses', async () => {
    const p = await context.newPage();
    await p.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
      (window as unknown as { copied: string[] }).copied = [];
      const exec = document.execCommand.bind(document);
      document.execCommand = (cmd: string) => {
        if (cmd === 'copy') {
          (window as unknown as { copied: string[] }).copied.push((document.activeElement as HTMLTextAreaElement).value);
          return true;
        }
        return exec(cmd);
      };
    });
    await p.goto(site.url(FIXTURE_STEP));
    await p.click('#block-01-namespaces-1 button.lb-copy');
    await p.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length > 0);
    expect(await p.evaluate(() => (window as unknown as { copied: string[] }).copied[0])).toBe('sudo ip netns add red\nsudo ip netns exec red ip -brief link');
    await p.close();
  });
});

describe('volatile tooltips', () => {
  it('open on keyboard focus, describe the value and close with Escape', async () => {
    // From the block's toolbar, Tab reaches its first volatile value (the values are the code's one tab stop).
    await page.focus('#block-01-namespaces-4 .lb-tools button.lb-badge');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement!;
      return { cls: el.className, text: el.textContent, describedBy: el.getAttribute('aria-describedby') };
    });
    expect(focused).toMatchObject({ cls: 'lb-vol', text: '10.0.0.2' });
    const tip = page.locator(`#${focused.describedBy}`);
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe('IP address — yours will differ');
    expect(await tip.getAttribute('role')).toBe('tooltip');
    const box = (await tip.boundingBox())!;
    const token = (await page.locator('.lb-vol:focus').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(token.y + token.height - 1); // placed under the value, not over it
    expect(box.x + box.width).toBeLessThanOrEqual(1280);

    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    // The arrow keys move between the values; Tab leaves the block's values.
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('lb-vol');
    const next = await page.evaluate(() => document.activeElement!.getAttribute('aria-describedby'));
    expect(next).not.toBe(focused.describedBy);
    expect(await page.locator(`#${next}`).isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('figure')?.id)).not.toBe('block-01-namespaces-4');
    // Back into the block with Shift+Tab: the value focused last is the tab stop now.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement!.getAttribute('aria-describedby'))).toBe(next);
  });

  it('shows author-marked values without their brackets', async () => {
    const text = await page.innerText('#block-01-namespaces-4 pre');
    expect(text).toContain('rtt min/avg/max/mdev = 0.049/0.055/0.061/0.006 ms');
    expect(text).not.toContain('[[');
  });
});

describe('drift', () => {
  it('shows the diff of a drifted block on demand', async () => {
    await page.goto(site.url('labs/netns-basics/02-services/'));
    const details = page.locator('#block-02-services-3 details.lb-drift');
    expect(await details.locator('pre').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await details.locator('pre').isVisible()).toBe(true);
    expect(await details.locator('pre').textContent()).toContain('− iptables: No chain/target/match by that name.');
  });
});
