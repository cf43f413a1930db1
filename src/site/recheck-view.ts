import path from 'node:path';
import { readLiveRun } from '../record/live.ts';
import { describeLiveBlock } from './live-view.ts';
import { loadLabRecord } from './page-context.ts';
import { resolveBlockStatus } from './resolve-status.ts';
import type { BlockView } from './view-model.ts';

/**
 * Under the dev server, a block's status and its place in a run still going, read again for
 * this request. A page is compiled once and kept; its compiled status is what the record said
 * then, and a compile that overlapped a run's last writes could keep a state that no longer
 * holds. Views without `recheck` (every built page) come back as they are.
 */
export async function recheckView<V extends BlockView>(view: V): Promise<V> {
  const source = view.recheck;
  if (!source) return view;
  const [record, run] = await Promise.all([loadLabRecord(source.root, source.labId), readLiveRun(path.join(source.root, 'verification'), source.labId)]);
  const result = record?.blocks.find((b) => b.id === view.id);
  const status = resolveBlockStatus({ kind: view.kind, options: { skip: source.skip } }, source.hash, result, record?.environment);
  const { live: _old, ...rest } = view;
  const live = describeLiveBlock(run, view.id);
  return { ...rest, status, ...(live ? { live } : {}) } as V;
}
