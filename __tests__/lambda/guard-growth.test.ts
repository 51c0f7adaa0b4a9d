/** The blast-radius guard, the empty-document refusal, out-of-order notifications and overflow groups, end to end. */
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, customDocument, managedGroups, managedRuleKeys, md5, originFacingV4, realEvent, snsEvent, startOrigin, writes } from '../support/origin-fixture';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const fresh = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `198.${18 + ((offset + i) >> 8)}.${(offset + i) & 255}.0/24`);

describe('guard and growth', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
    const run = await invoke(handler, realEvent(origin.server, BASE), origin.env());
    expect(run.error).toBeUndefined();
  });
  afterEach(async () => origin.close());

  function serve(name: string, syncToken: string, ranges: string[]) {
    const body = customDocument(BASE, syncToken, ranges);
    origin.server.serve(name, body);
    return { event: snsEvent(origin.server.url(name), body, syncToken), body };
  }

  test('a document that drops more than the fraction has its additions applied and its revocations held, until a forced run', async () => {
    const kept = originFacingV4(BASE).slice(0, 10);
    const { event, body } = serve('custom-1.json', '1783714026', [...kept, ...fresh(3)]);
    const held = await invoke(handler, event, origin.env());
    expect(held.result).toMatchObject({ outcome: 'held', heldBy: 'GUARD_REVOKE_FRACTION', rulesAdded: 3, rulesRevoked: 0, rulesHeld: 35 });
    expect(held.lines[0]).toMatchObject({ level: 'warn', heldBy: 'GUARD_REVOKE_FRACTION' });
    const keys = managedRuleKeys(origin.emu);
    expect(keys).toHaveLength(45 + 3);
    for (const c of fresh(3)) expect(keys).toContain(`tcp|80|80|${c}`);

    const forced = await invoke(handler, { source: 'cfguard', action: 'reconcile', force: true, url: origin.server.url('custom-1.json'), md5: md5(body) }, origin.env());
    expect(forced.result).toMatchObject({ outcome: 'applied', rulesRevoked: 35, rulesHeld: 0 });
    expect(managedRuleKeys(origin.emu)).toEqual([...kept, ...fresh(3)].map((c) => `tcp|80|80|${c}`).sort());
  });

  test('a document that yields zero ranges changes nothing', async () => {
    const before = origin.emu.snapshot();
    origin.emu.resetCalls();
    const { event } = serve('custom-2.json', '1783714027', []);
    const run = await invoke(handler, event, origin.env());
    expect(run.error).toMatchObject({ code: 'EMPTY_RANGES' });
    expect(origin.emu.calls).toEqual([]);
    expect(origin.emu.snapshot()).toEqual(before);
  });

  test('an older notification arriving late is skipped, leaving the newer ranges in place', async () => {
    const newer = realEvent(origin.server, MANIFEST[7].file);
    await invoke(handler, newer, origin.env());
    const after = managedRuleKeys(origin.emu);
    origin.emu.resetCalls();
    const late = await invoke(handler, realEvent(origin.server, MANIFEST[3].file), origin.env());
    expect(late.result).toMatchObject({ outcome: 'stale' });
    expect(writes(origin.emu)).toEqual([]);
    expect(managedRuleKeys(origin.emu)).toEqual(after);
  });

  test('ranges that outgrow one group get a second group, created, tagged and attached, the instance group kept', async () => {
    const { event } = serve('custom-3.json', '1783714028', [...originFacingV4(BASE), ...fresh(40)]);
    const run = await invoke(handler, event, origin.env());
    expect(run.result).toMatchObject({ outcome: 'applied', groupsCreated: 1, rulesAdded: 40, enisChanged: 1 });
    const groups = managedGroups(origin.emu);
    expect(groups.map((g) => g.groupName).sort()).toEqual(['AUTOUPDATE_CF-1', 'AUTOUPDATE_CF-2']);
    expect(groups.every((g) => g.tags.PREFIX_NAME === 'AUTOUPDATE_CF' && g.tags.CFGUARD_SYNC_TOKEN === '1783714028')).toBe(true);
    expect(groups.every((g) => g.ingress.length <= 60)).toBe(true);
    expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId, ...groups.map((g) => g.groupId)]);
  });

  test('a set grown several times over and shrunk back within a day works in both directions without a gap', async () => {
    const base = originFacingV4(BASE);
    const grown = serve('custom-4.json', '1783714029', [...base, ...fresh(150)]);
    const up = await invoke(handler, grown.event, origin.env());
    expect(up.result).toMatchObject({ outcome: 'applied', rulesAdded: 150 });
    expect(managedRuleKeys(origin.emu)).toHaveLength(195);
    const shrunk = serve('custom-5.json', '1783714030', base);
    const down = await invoke(handler, shrunk.event, origin.env({ MAX_REVOKE_FRACTION: '0.9' }));
    expect(down.result).toMatchObject({ outcome: 'applied', rulesRevoked: 150 });
    expect(managedRuleKeys(origin.emu)).toEqual(base.map((c) => `tcp|80|80|${c}`).sort());
  });
});
