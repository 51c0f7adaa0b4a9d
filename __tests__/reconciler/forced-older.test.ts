/**
 * Issue 20 item 7: a forced older document names, in the plan and in the run's warnings, exactly
 * the ranges it blocks that the newer token's document publishes.
 */
import { findingText } from '../../lambda-src/function/finding-text';
import { readFileSync } from 'fs';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { type Origin, managedGroups, startOrigin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const doc = (file: string) => parseIpRangesDocument(readFileSync(rangesPath(file)));
const OLDER = MANIFEST[0];
const NEWER = MANIFEST[6];

describe('a forced older document', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => origin.close());

  const settings = () => settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });
  const desired = (file: string) => desiredStateFor(doc(file), settings());
  const run = (file: string, apply: boolean, force = false) => reconcile({ ec2: new Ec2SecurityGroupManager(origin.emu.client()), settings: settings(), desired: desired(file), apply, force });
  const sources = (file: string) => new Set(desired(file).rules.map((r) => r.source));

  test('names in the plan and the warnings exactly the ranges it blocks, then blocks only those', async () => {
    await run(NEWER.file, true);
    const onlyNewer = [...sources(NEWER.file)].filter((s) => !sources(OLDER.file).has(s)).sort();
    expect(onlyNewer.length).toBeGreaterThan(0);

    const planned = await run(OLDER.file, false, true);
    expect(planned.plan.blocksNewer).toEqual({ syncToken: NEWER.syncToken, ranges: onlyNewer });
    const warning = planned.warnings.find((w) => w.code === 'FORCED_OLDER_DOCUMENT');
    expect(warning).toEqual({ code: 'FORCED_OLDER_DOCUMENT', subject: OLDER.syncToken, details: { newerSyncToken: NEWER.syncToken, ranges: onlyNewer } });
    const said = findingText(warning!, (id) => id);
    for (const range of onlyNewer) expect(said).toContain(range);
    expect(said).toContain(NEWER.syncToken);

    const applied = await run(OLDER.file, true, true);
    expect(applied.outcome).toBe('applied');
    expect(applied.warnings.filter((w) => w.code === 'FORCED_OLDER_DOCUMENT')).toEqual([warning]);
    const reachable = new Set(origin.emu.effectiveIngress(origin.eniId).map((k) => k.split('|')[3]));
    expect(onlyNewer.filter((r) => reachable.has(r))).toEqual([]);
    expect([...sources(OLDER.file)].filter((r) => !reachable.has(r))).toEqual([]);
    for (const g of managedGroups(origin.emu)) expect(g.tags.CFGUARD_SYNC_TOKEN).toBe(OLDER.syncToken);
  });

  test('without --force the older document is stale, names nothing to block and writes nothing', async () => {
    await run(NEWER.file, true);
    const before = origin.emu.world();
    const result = await run(OLDER.file, true);
    expect(result.outcome).toBe('stale');
    expect(result.plan.blocksNewer).toBeUndefined();
    expect(origin.emu.world()).toEqual(before);
  });

  test('a forced run of a newer document blocks nothing the older token published and names nothing', async () => {
    await run(OLDER.file, true);
    const result = await run(NEWER.file, false, true);
    expect(result.plan.blocksNewer).toBeUndefined();
    expect(result.warnings.some((w) => w.code === 'FORCED_OLDER_DOCUMENT')).toBe(false);
  });
});
