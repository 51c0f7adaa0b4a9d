/** The Terraform `delete` lifecycle event tears the managed groups down, leaving every other group in place. */
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, customDocument, managedGroups, originFacingV4, realEvent, snsEvent, startOrigin, writes } from '../support/origin-fixture';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const DELETE = { source: 'cfguard', action: 'reconcile', tf: { action: 'delete', prev_input: { source: 'cfguard', action: 'reconcile' } } };

async function twoGroups(o: Origin) {
  expect((await invoke(handler, realEvent(o.server, BASE), o.env())).error).toBeUndefined();
  const body = customDocument(BASE, '1783714100', [...originFacingV4(BASE), ...Array.from({ length: 30 }, (_, i) => `203.0.${i}.0/24`)]);
  o.server.serve('custom-1.json', body);
  expect((await invoke(handler, snsEvent(o.server.url('custom-1.json'), body, '1783714100'), o.env())).error).toBeUndefined();
  expect(managedGroups(o.emu)).toHaveLength(2);
}

describe('teardown on the delete lifecycle event', () => {
  let origin: Origin;
  afterEach(async () => origin?.close());

  test('removes every managed group and keeps every other group on the ENI', async () => {
    origin = await startOrigin();
    await twoGroups(origin);
    const extra = origin.emu.addSecurityGroup({ vpcId: origin.vpcId, name: 'monitoring' });
    // a second interface of the guarded instance (one of another instance is never written: see ownership.test)
    const other = origin.emu.addEni({ vpcId: origin.vpcId, groupIds: [extra, managedGroups(origin.emu)[1].groupId], instanceId: origin.instanceId });
    origin.emu.resetCalls();
    const run = await invoke(handler, DELETE, origin.env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ msg: 'teardown', trigger: 'lifecycle', outcome: 'torn-down', groupsDeleted: 2, enisChanged: 2 });
    expect(managedGroups(origin.emu)).toEqual([]);
    expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId]);
    expect(origin.emu.eni(other)!.groupIds).toEqual([extra]);
    expect(origin.emu.group(origin.ownGroupId)).toBeDefined();
    expect(writes(origin.emu).map((c) => c.action)).toEqual(['ModifyNetworkInterfaceAttribute', 'ModifyNetworkInterfaceAttribute', 'DeleteSecurityGroup', 'DeleteSecurityGroup']);
    origin.emu.resetCalls();
    const again = await invoke(handler, DELETE, origin.env());
    expect(again.result).toMatchObject({ outcome: 'in-sync', groupsDeleted: 0 });
    expect(writes(origin.emu)).toEqual([]);
  });

  test('an ENI carrying only a managed group is refused with zero writes and the ENI named', async () => {
    origin = await startOrigin();
    await twoGroups(origin);
    const lone = origin.emu.addEni({ vpcId: origin.vpcId, groupIds: [managedGroups(origin.emu)[0].groupId], instanceId: origin.instanceId });
    const before = origin.emu.snapshot();
    origin.emu.resetCalls();
    const run = await invoke(handler, DELETE, origin.env());
    expect(run.error).toMatchObject({ code: 'LONE_MANAGED_GROUP' });
    expect(run.error!.message).toContain(lone);
    expect(writes(origin.emu)).toEqual([]);
    expect(origin.emu.snapshot()).toEqual(before);
    expect(run.lines[0]).toMatchObject({ level: 'error', msg: 'teardown', error: { code: 'LONE_MANAGED_GROUP' }, ReconcileRefused: 1 });
  });

  test('a failure at every write k, then a rerun, converges on no managed groups', async () => {
    // one ENI and two groups: 1 detach + 2 deletes; k = 4 proves there is no fourth write
    for (let k = 1; k <= 4; k++) {
      origin = await startOrigin();
      await twoGroups(origin);
      origin.emu.failWrite(k, 'UnauthorizedOperation');
      const failed = await invoke(handler, DELETE, origin.env());
      if (k === 4) {
        expect(failed.error).toBeUndefined();
        await origin.close();
        origin = undefined as unknown as Origin;
        break;
      }
      expect(failed.error).toBeDefined();
      expect(origin.emu.eni(origin.eniId)!.groupIds[0]).toBe(origin.ownGroupId);
      origin.emu.clearFaults();
      const rerun = await invoke(handler, DELETE, origin.env());
      expect(rerun.error).toBeUndefined();
      expect(managedGroups(origin.emu)).toEqual([]);
      expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId]);
      await origin.close();
      origin = undefined as unknown as Origin;
    }
  });
});
