/** Lists the built HTML pages, as routes relative to the base (`labs/x/`, `404.html`). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export async function listHtmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.html')) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}

export async function listHtmlRoutes(dist: string): Promise<string[]> {
  return (await listHtmlFiles(dist)).map((f) => {
    const rel = path.relative(dist, f).split(path.sep).join('/');
    return rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
  });
}
