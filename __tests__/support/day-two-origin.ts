/**
 * GIVEN the tutorial's origin after the guard ran: the instance's ENI carries its own group, a
 * `monitoring` group nobody manages and the managed groups; optionally a second ENI of the instance
 * carries a `sidecar` group, a group of another guard (PREFIX_NAME=OTHER_CF) and one managed group.
 * For the day-two commands (`status`, `cleanup`), which must touch only the managed groups.
 */
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/output';
import { originFlags, tempDir } from './cli-harness';
import { managedGroups, startOrigin, type Origin } from './origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

export const FIRST = MANIFEST[0];

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, any>>(): T;
}

/** `main(args, io)` in this process: the same CLI code without a spawn, for setup and quick cases. */
export async function mainInProcess(args: readonly string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s), isTTY: false }, stderr: { write: (s: string) => (stderr += s), isTTY: false }, cwd: tempDir(), env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

export interface DayTwoOrigin extends Origin {
  readonly monitoringGroupId: string;
  readonly sidecarGroupId: string;
  readonly otherPrefixGroupId: string;
  /** The instance's second ENI ('' without `sideEni`). */
  readonly sideEniId: string;
  /** The CLI flags for this origin, with the first real ranges file. */
  readonly flags: string[];
}

/**
 * Runs `cfguard reconcile --apply` (in-process) with `rulesPerGroup` 30 by default, so the 45
 * origin-facing ranges of the first document need two managed groups. The second ENI carries only
 * the first of them, so a reconcile would attach the second there too (`sideEni` false for a state
 * that is in sync).
 */
export async function startDayTwoOrigin(opts: { rulesPerGroup?: number; sideEni?: boolean } = {}): Promise<DayTwoOrigin> {
  const origin = await startOrigin();
  const { emu, vpcId } = origin;
  const monitoringGroupId = emu.addSecurityGroup({ vpcId, name: 'monitoring', ingress: [{ protocol: 'tcp', fromPort: 9100, toPort: 9100, cidr: '10.0.0.0/16' }] });
  // the sidecar's own path to port 80 (as the own group gives the first ENI), so removing the managed groups cuts no one off
  const sidecarGroupId = emu.addSecurityGroup({ vpcId, name: 'sidecar', ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' }] });
  const otherPrefixGroupId = emu.addSecurityGroup({ vpcId, name: 'OTHER_CF-1', tags: { PREFIX_NAME: 'OTHER_CF' }, ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '192.0.2.0/24' }] });
  await emu.client().send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: origin.eniId, Groups: [origin.ownGroupId, monitoringGroupId] }));
  const flags = [...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file), '--rules-per-group', String(opts.rulesPerGroup ?? 30)];
  const applied = await mainInProcess(['reconcile', '--apply', ...flags]);
  if (applied.code !== 0) throw new Error(`setup: reconcile --apply exited ${applied.code}: ${applied.stderr}`);
  const managed = managedGroups(emu);
  const sideEniId = opts.sideEni === false ? '' : emu.addEni({ vpcId, groupIds: [sidecarGroupId, otherPrefixGroupId, managed[0].groupId], instanceId: origin.instanceId });
  emu.resetCalls();
  return Object.assign(origin, { monitoringGroupId, sidecarGroupId, otherPrefixGroupId, sideEniId, flags });
}

/** Every group that is not ours, with its rules: what no day-two command may change. */
export function unmanagedState(o: DayTwoOrigin): string {
  const ids = [o.ownGroupId, o.monitoringGroupId, o.sidecarGroupId, o.otherPrefixGroupId];
  return JSON.stringify(ids.map((id) => o.emu.group(id)));
}
