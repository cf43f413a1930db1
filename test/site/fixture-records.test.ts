import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildFixtureRecord, FIXTURE_RECORD } from '../fixtures/site/make-records.ts';

describe('the site fixture record', () => {
  it('matches the fixture lab (run `node test/fixtures/site/make-records.ts` after editing the lab)', async () => {
    const onDisk = JSON.parse(await readFile(FIXTURE_RECORD, 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(await buildFixtureRecord())));
  });
});
