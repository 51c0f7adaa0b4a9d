/**
 * GIVEN the origin fixture's world plus a secondary origin: a second media server in the same VPC
 * with its own group (ingest open, 80/tcp closed) and one ENI, as `secondaryOrigin` deploys it. The
 * handler's env lists both in GUARDED_INSTANCE_IDS, primary first, as the construct sets it.
 */
import { noteDeployment } from '../../emulator/recorder';
import type { EmuWorld } from '../../emulator/ec2';
import { type Origin } from './origin-fixture';

export interface SecondaryInstance {
  readonly instanceId: string;
  readonly eniId: string;
  readonly ownGroupId: string;
}

export const SECONDARY_OWN_RULES = ['tcp|22|22|198.51.100.0/24', 'udp|1935|1935|0.0.0.0/0'];

export function addSecondaryInstance(o: Origin): SecondaryInstance {
  const ownGroupId = o.emu.addSecurityGroup({
    vpcId: o.vpcId,
    name: 'media-server-b',
    ingress: [
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '198.51.100.0/24' },
      { protocol: 'udp', fromPort: 1935, toPort: 1935, cidr: '0.0.0.0/0' },
    ],
  });
  const { instanceId, eniIds } = o.emu.addInstance({ vpcId: o.vpcId, groupIds: [ownGroupId] });
  // The IAM proof builds the policy of this deployment: both instances guarded.
  noteDeployment(o.emu.endpoint, { vpcId: o.vpcId, instanceId: o.instanceId, instanceIds: [o.instanceId, instanceId] });
  return { instanceId, eniId: eniIds[0], ownGroupId };
}

/** The handler's env for both origins: GUARDED_INSTANCE_IDS as the construct deploys it. */
export function twoOriginEnv(o: Origin, s: SecondaryInstance, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return o.env({ GUARDED_INSTANCE_IDS: `${o.instanceId},${s.instanceId}`, ...extra });
}

/** The config file of the origin fixture's world (`cfguard.config.json`), with the secondary origin when given; `extra` adds keys. */
export function originConfig(o: Origin, s?: SecondaryInstance, extra: object = {}): object {
  return {
    name: 'streaming-origin',
    region: 'eu-north-1',
    vpcId: o.vpcId,
    instanceId: o.instanceId,
    instanceSecurityGroupId: o.ownGroupId,
    ...extra,
    ...(s ? { secondaryOrigin: { instanceId: s.instanceId, instanceSecurityGroupId: s.ownGroupId } } : {}),
  };
}

/** What an ENI lets in, in a recorded world: the union of its groups' rules, as sorted keys. */
export function admitted(world: EmuWorld, eniId: string): string[] {
  const keys = new Set<string>();
  for (const id of world.enis[eniId]?.groupIds ?? []) for (const k of world.groups[id]?.ingress ?? []) keys.add(k);
  return [...keys].sort();
}
