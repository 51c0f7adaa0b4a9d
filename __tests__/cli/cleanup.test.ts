/**
 * GIVEN an origin the guard reconciled (two managed groups on the instance's ENI, one of them on a
 * second ENI too) beside groups nobody manages and a group of another guard
 * WHEN the built CLI runs `cfguard cleanup`
 * THEN it plans (exit 2), --apply removes every managed group and nothing else (exit 0), a rerun has
 * nothing to do (exit 0), a lone managed group is refused before any write, and a failure at any
 * write converges on the next run.
 */
import { runCli } from '../support/cli-harness';
import { mainInProcess, startDayTwoOrigin, unmanagedState, type DayTwoOrigin } from '../support/day-two-origin';
import { managedGroups, writes } from '../support/origin-fixture';

const lastLine = (text: string) => text.trimEnd().split('\n').pop() ?? '';

describe('cfguard cleanup against the emulator', () => {
  let origin: DayTwoOrigin;
  afterEach(async () => {
    await origin?.close();
    origin = undefined as unknown as DayTwoOrigin;
  });

  test('plans (exit 2, no writes), --apply removes every managed group and keeps every other group, then nothing is left to do', async () => {
    origin = await startDayTwoOrigin();
    const [m1, m2] = managedGroups(origin.emu);
    expect([m1.groupName, m2.groupName]).toEqual(['AUTOUPDATE_CF-1', 'AUTOUPDATE_CF-2']);
    const untouched = unmanagedState(origin);

    const plan = await runCli(['cleanup', '--json', ...origin.flags]);
    expect(plan.code).toBe(2);
    const doc = plan.json();
    expect(Object.keys(doc)).toEqual(['command', 'status', 'exitCode', 'apply', 'prefixName', 'vpcId', 'groups', 'interfaces', 'result']);
    expect(doc).toMatchObject({ command: 'cleanup', status: 'planned', exitCode: 2, apply: false, prefixName: 'AUTOUPDATE_CF', vpcId: origin.vpcId });
    expect(doc.groups).toEqual([
      { groupId: m1.groupId, groupName: 'AUTOUPDATE_CF-1', enis: [origin.eniId, origin.sideEniId].sort() },
      { groupId: m2.groupId, groupName: 'AUTOUPDATE_CF-2', enis: [origin.eniId] },
    ]);
    expect(doc.interfaces).toEqual(
      [
        { eniId: origin.eniId, removed: [m1.groupId, m2.groupId], kept: [origin.ownGroupId, origin.monitoringGroupId] },
        { eniId: origin.sideEniId, removed: [m1.groupId], kept: [origin.sidecarGroupId, origin.otherPrefixGroupId] },
      ].sort((a, b) => (a.eniId < b.eniId ? -1 : 1)),
    );
    expect(doc.result).toMatchObject({ outcome: 'planned', vpcId: origin.vpcId, applied: false, groupsDeleted: 0, enisChanged: 0, apiCalls: { writes: 0 } });
    expect(doc.result.plan.steps.map((s: { kind: string }) => s.kind)).toEqual(['detach', 'detach', 'deleteGroup', 'deleteGroup']);
    expect(doc.result.plan.summary).toMatchObject({ rulesRevoked: 45, enisChanged: 2 });
    expect(writes(origin.emu)).toEqual([]);

    const text = await mainInProcess(['cleanup', ...origin.flags]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(new RegExp(`^Plan to remove 2 managed groups \\(45 rules\\) on 2 interfaces, PREFIX_NAME=AUTOUPDATE_CF in ${origin.vpcId}; every other group stays:$`, 'm'));
    expect(text.stdout).toContain(`\tdeleteGroup\t${m2.groupId}\tname AUTOUPDATE_CF-2\n`);
    expect(text.stdout).toContain(`\tdetach\t${origin.eniId}\tremove ${m1.groupId}, ${m2.groupId}\n`);
    expect(text.stdout).toMatch(/Changes pending: run 'cfguard cleanup --apply' to remove them\.\n$/);
    expect(text.stdout).not.toMatch(/\u001b\[/);
    expect(writes(origin.emu)).toEqual([]);

    const applied = await runCli(['cleanup', '--apply', '--json', ...origin.flags]);
    expect(applied.code).toBe(0);
    expect(applied.json()).toMatchObject({
      command: 'cleanup',
      status: 'torn-down',
      exitCode: 0,
      apply: true,
      result: { outcome: 'torn-down', applied: true, groupsDeleted: 2, enisChanged: 2, apiCalls: { writes: 4 } },
    });
    expect(applied.stderr).toMatch(/^cfguard: step 4: deleteGroup /m);
    expect(managedGroups(origin.emu)).toEqual([]);
    expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId, origin.monitoringGroupId]);
    expect(origin.emu.eni(origin.sideEniId)!.groupIds).toEqual([origin.sidecarGroupId, origin.otherPrefixGroupId]);
    expect(unmanagedState(origin)).toBe(untouched);
    expect(writes(origin.emu).map((c) => c.action)).toEqual(['ModifyNetworkInterfaceAttribute', 'ModifyNetworkInterfaceAttribute', 'DeleteSecurityGroup', 'DeleteSecurityGroup']);

    origin.emu.resetCalls();
    const again = await mainInProcess(['cleanup', ...origin.flags]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Nothing to clean up: no group tagged PREFIX_NAME=AUTOUPDATE_CF in ${origin.vpcId}.\n`);
    const againJson = await mainInProcess(['cleanup', '--apply', '--json', ...origin.flags]);
    expect(againJson.code).toBe(0);
    expect(againJson.json()).toMatchObject({ status: 'in-sync', exitCode: 0, groups: [], interfaces: [], result: { outcome: 'in-sync', applied: false, plan: { steps: [] } } });
    expect(writes(origin.emu)).toEqual([]);
  });

  test('an ENI carrying only a managed group is refused: exit 1, one error line naming the ENI, zero writes', async () => {
    origin = await startDayTwoOrigin();
    const lone = origin.emu.addEni({ vpcId: origin.vpcId, groupIds: [managedGroups(origin.emu)[1].groupId], instanceId: origin.instanceId });
    const before = origin.emu.snapshot();

    const run = await runCli(['cleanup', '--apply', ...origin.flags]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^error LONE_MANAGED_GROUP: ${lone} carries only managed groups \\(PREFIX_NAME=AUTOUPDATE_CF\\).*Nothing was changed\\.$`));
    expect(lastLine(run.stderr)).toBe(errors[0]);
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const json = await mainInProcess(['cleanup', '--json', ...origin.flags]);
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({
      command: 'cleanup',
      status: 'error',
      exitCode: 1,
      error: { code: 'LONE_MANAGED_GROUP', kind: 'usage', message: expect.stringContaining(lone), details: { eniIds: [lone] } },
    });

    expect(writes(origin.emu)).toEqual([]);
    expect(origin.emu.snapshot()).toBe(before);
  });

  test('after open-ingest closed public port 80, cleanup --apply refuses to cut CloudFront off (zero writes) until --force', async () => {
    origin = await startDayTwoOrigin();
    const closed = await mainInProcess(['open-ingest', '--close-public', '22,80', '--apply', '--group-id', origin.ownGroupId, ...origin.flags]);
    if (closed.code !== 0) throw new Error(closed.stderr);
    expect(closed.code).toBe(0);
    // The managed groups are now the instance's only way in on port 80.
    expect(origin.emu.group(origin.ownGroupId)!.ingress.some((r) => r.fromPort === 80)).toBe(false);
    origin.emu.resetCalls();
    const before = origin.emu.snapshot();

    const refused = await runCli(['cleanup', '--apply', ...origin.flags]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const errors = refused.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error CLEANUP_WOULD_CUT_CLOUDFRONT: removing the managed groups \\(PREFIX_NAME=AUTOUPDATE_CF\\) would cut CloudFront off the origin: nothing else opens 80/tcp on ${origin.eniId}\\..*--force.*Nothing was changed\\.$`,
        ),
      ),
    ]);
    expect(writes(origin.emu)).toEqual([]);
    expect(origin.emu.snapshot()).toBe(before);

    const json = await mainInProcess(['cleanup', '--apply', '--json', ...origin.flags]);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({
      command: 'cleanup',
      status: 'error',
      exitCode: 1,
      error: { code: 'CLEANUP_WOULD_CUT_CLOUDFRONT', details: { cutOffs: [{ eniId: origin.eniId, port: '80/tcp' }] } },
    });
    expect(writes(origin.emu)).toEqual([]);
    expect(origin.emu.snapshot()).toBe(before);

    // The plan alone (no --apply) is still shown: reading is never refused.
    expect((await mainInProcess(['cleanup', ...origin.flags])).code).toBe(2);

    const forced = await mainInProcess(['cleanup', '--apply', '--force', ...origin.flags]);
    expect(forced.code).toBe(0);
    expect(managedGroups(origin.emu)).toEqual([]);
    expect(forced.stdout).toMatch(/^Cleanup complete! Groups: 2 deleted/m);
  });

  test('a failure at every write k, then a rerun, converges: every managed group gone, every other group kept', async () => {
    // 2 detaches + 2 deletes; k = 5 proves there is no fifth write. In-process (main), the same code
    // as the spawned CLI above, so the loop stays fast; the origins run side by side.
    const ks = [1, 2, 3, 4, 5];
    const origins = await Promise.all(ks.map(() => startDayTwoOrigin()));
    try {
      const untouched = origins.map(unmanagedState);
      ks.forEach((k, i) => origins[i].emu.failWrite(k, 'UnauthorizedOperation'));
      const failed = await Promise.all(origins.map((o) => mainInProcess(['cleanup', '--apply', ...o.flags])));
      ks.forEach((k, i) => {
        const o = origins[i];
        const wrote = writes(o.emu);
        if (k === 5) {
          expect(failed[i].code).toBe(0);
          expect(wrote).toHaveLength(4);
          return;
        }
        expect(failed[i].code).toBe(1);
        expect(lastLine(failed[i].stderr)).toMatch(/^error AWS_ERROR: .*UnauthorizedOperation.*; the steps already made are kept: run 'cfguard cleanup --apply' again to finish$/);
        expect(wrote).toHaveLength(k);
        expect(wrote[k - 1]).toMatchObject({ ok: false, errorCode: 'UnauthorizedOperation' });
        // Never an interface without its own groups, whatever step failed.
        expect(o.emu.eni(o.eniId)!.groupIds.slice(0, 2)).toEqual([o.ownGroupId, o.monitoringGroupId]);
        expect(o.emu.eni(o.sideEniId)!.groupIds.slice(0, 2)).toEqual([o.sidecarGroupId, o.otherPrefixGroupId]);
      });
      origins.forEach((o) => o.emu.clearFaults());
      const reruns = await Promise.all(origins.map((o) => mainInProcess(['cleanup', '--apply', '--json', ...o.flags])));
      ks.forEach((k, i) => {
        const o = origins[i];
        expect(reruns[i].code).toBe(0);
        expect(reruns[i].json().status).toBe(k === 5 ? 'in-sync' : 'torn-down');
        expect(managedGroups(o.emu)).toEqual([]);
        expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, o.monitoringGroupId]);
        expect(o.emu.eni(o.sideEniId)!.groupIds).toEqual([o.sidecarGroupId, o.otherPrefixGroupId]);
        expect(unmanagedState(o)).toBe(untouched[i]);
      });
    } finally {
      await Promise.all(origins.map((o) => o.close()));
    }
  });
});
