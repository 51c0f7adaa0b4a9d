/**
 * Issue 20 item 4: a write EC2 applied whose answer is lost (connection reset) is retried by the
 * SDK, EC2 answers InvalidPermission.Duplicate, and the re-plan finds the rules in place. The run
 * whose document is newer than the groups' token must still record it, so a delayed older
 * notification afterwards is stale and cannot revoke the new ranges.
 */
import { readFileSync } from 'fs';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { ruleKey } from '../../lambda-src/core/rules';
import { type Origin, managedGroups, startOrigin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const doc = (file: string) => parseIpRangesDocument(readFileSync(rangesPath(file)));
const O = MANIFEST[0];
const B = MANIFEST[6];

describe('a race retry never drops the token', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => origin.close());

  const settings = () => settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });
  const run = (file: string) => reconcile({ ec2: new Ec2SecurityGroupManager(origin.emu.client()), settings: settings(), desired: desiredStateFor(doc(file), settings()), apply: true });
  const keysOf = (file: string) => desiredStateFor(doc(file), settings()).rules.map(ruleKey);

  /** After every successful write since the last resetCalls: the media ENI lets in every key of `kept`. */
  function expectKeptAtEveryWrite(kept: readonly string[]): void {
    const written = origin.emu.calls.filter((c) => c.write && c.ok);
    expect(written.length).toBeGreaterThan(0);
    for (const call of written) {
      const ingress = new Set(call.ingressAfter?.[origin.eniId] ?? []);
      expect({ action: call.action, blocked: kept.filter((k) => !ingress.has(k)) }).toEqual({ action: call.action, blocked: [] });
    }
  }

  test('an authorize applied then reset: the SDK retry meets Duplicate, the re-plan finds the rules, the token is still recorded', async () => {
    expect((await run(O.file)).outcome).toBe('applied');
    const tokenO = managedGroups(origin.emu).map((g) => g.tags.CFGUARD_SYNC_TOKEN);
    expect(new Set(tokenO)).toEqual(new Set([O.syncToken]));
    origin.emu.resetCalls();
    origin.emu.resetAfterWrite(1);

    const result = await run(B.file);

    const calls = origin.emu.calls.filter((c) => c.write).map((c) => `${c.action}:${c.ok ? 'ok' : c.errorCode}`);
    // EC2 applied the authorize (its answer was lost), the SDK sent it again and EC2 refused the duplicate
    expect(calls.slice(0, 2)).toEqual(['AuthorizeSecurityGroupIngress:ok', 'AuthorizeSecurityGroupIngress:InvalidPermission.Duplicate']);
    expect(result).toMatchObject({ outcome: 'applied', attempts: 2, syncToken: B.syncToken });
    expect(result.warnings.some((w) => w.code === 'TOKEN_RECORDED_AFTER_RACE')).toBe(true);
    const groups = managedGroups(origin.emu);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect({ group: g.groupId, token: g.tags.CFGUARD_SYNC_TOKEN }).toEqual({ group: g.groupId, token: B.syncToken });
    const reachable = new Set(origin.emu.effectiveIngress(origin.eniId));
    expect(keysOf(B.file).filter((k) => !reachable.has(k))).toEqual([]);
    const stillPublished = keysOf(O.file).filter((k) => keysOf(B.file).includes(k));
    expectKeptAtEveryWrite(stillPublished);
  });

  test('a delayed older notification afterwards is stale and blocks none of the new ranges', async () => {
    await run(O.file);
    origin.emu.resetAfterWrite(1);
    await run(B.file);
    const newRanges = keysOf(B.file).filter((k) => !keysOf(O.file).includes(k));
    expect(newRanges.length).toBeGreaterThan(0);
    const before = origin.emu.world();
    origin.emu.resetCalls();

    const late = await run(O.file);

    expect(late.outcome).toBe('stale');
    expect(origin.emu.calls.filter((c) => c.write)).toEqual([]);
    expect(origin.emu.world()).toEqual(before);
    const reachable = new Set(origin.emu.effectiveIngress(origin.eniId));
    expect(newRanges.filter((k) => !reachable.has(k))).toEqual([]);
  });

  test('without a race an in-sync newer document still writes nothing (the token-only no-op stays free)', async () => {
    await run(B.file);
    origin.emu.resetCalls();
    const copy = { ...desiredStateFor(doc(B.file), settings()), syncToken: String(BigInt(B.syncToken) + 60n) };
    const result = await reconcile({ ec2: new Ec2SecurityGroupManager(origin.emu.client()), settings: settings(), desired: copy, apply: true });
    expect(result.outcome).toBe('in-sync');
    expect(origin.emu.calls.filter((c) => c.write)).toEqual([]);
  });
});
