/**
 * Ownership, tried as a careless colleague with tagging rights would (issue 20). One table of worlds,
 * each holding one group the guard must never write, run through the shipped bundle (a plain no-op
 * notification, the teardown on destroy) and the built CLI (`reconcile --apply`, `cleanup --apply`,
 * `cleanup --apply --force`) against the emulator. After EVERY write the whole world is checked
 * (the emulator records every group and every ENI): no group but the guard's own ever changes, no
 * interface but the guarded instance's is ever written, the guarded ENI keeps every group it had
 * that is not the guard's, and the origin never lets in more than the own group's rules and
 * CloudFront's ranges. The calls are also proved against the synthesized policy (iam/scenarios).
 */
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import type { EmuWorld } from '../../emulator/ec2/types';
import { noteDeployment } from '../../emulator/recorder';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { startRangesServer, type RangesServer } from '../../emulator/ranges-server';
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';
import { originFlags, runCli } from '../support/cli-harness';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { type Origin, managedGroups, originFacingV4, realEvent, startOrigin } from '../support/origin-fixture';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const OWN_RULES = ['tcp|22|22|0.0.0.0/0', 'tcp|80|80|0.0.0.0/0', 'udp|1935|1935|0.0.0.0/0'];
const CF_KEYS = new Set(originFacingV4(BASE).map((c) => `tcp|80|80|${c}`));
const TAG = { PREFIX_NAME: 'AUTOUPDATE_CF' };
const DELETE = { source: 'cfguard', action: 'reconcile', tf: { action: 'delete', prev_input: { source: 'cfguard', action: 'reconcile' } } };

/** One world: it seeds the group the guard must leave alone and says how the guard must name it. */
interface World {
  readonly name: string;
  /** Seeds after the guard's first run; returns the group that must never be written. */
  readonly seed: (o: Origin) => Promise<string>;
  /** The refusal the run reports for it; undefined when the guard never even sees it (another VPC). */
  readonly code?: 'FOREIGN_GROUP_TAGGED' | 'MANAGED_GROUP_ON_OTHER_INTERFACE' | 'FOREIGN_GROUP_ON_INTERFACE';
  /** The guard's own group is the one refused (hand-attached elsewhere): it stays too. @default false */
  readonly guardGroupRefused?: boolean;
  /**
   * The group sits on the media ENI and the guard may not name it there (its IAM policy would refuse the
   * rewrite): FOREIGN_GROUP_ON_INTERFACE, and the ENI is not written, so the teardown leaves the guard's group on it. @default false
   */
  readonly blocksInterface?: boolean;
  /** The run is told the instance's own group (INSTANCE_SECURITY_GROUP_ID / --group-id). @default false */
  readonly ownGroupConfigured?: boolean;
}

const WORLDS: World[] = [
  {
    name: "the database's group on the database instance, tagged by mistake",
    code: 'FOREIGN_GROUP_TAGGED',
    seed: async (o) => {
      const db = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'database', tags: TAG, ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidr: '10.0.0.0/16' }] });
      o.emu.addInstance({ vpcId: o.vpcId, groupIds: [db] });
      return db;
    },
  },
  {
    name: 'a world-open debug group (0-65535/tcp from 0.0.0.0/0), tagged',
    code: 'FOREIGN_GROUP_TAGGED',
    seed: async (o) => o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'debug', tags: TAG, ingress: [{ protocol: 'tcp', fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0' }] }),
  },
  {
    name: 'an egress-only group on the media server, tagged',
    code: 'FOREIGN_GROUP_TAGGED',
    blocksInterface: true,
    seed: async (o) => {
      const egress = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'egress', tags: TAG });
      const eni = o.emu.eni(o.eniId)!;
      await modifyAsOperator(o, [...eni.groupIds, egress]);
      return egress;
    },
  },
  {
    name: "an unattached tagged group holding someone's rules",
    code: 'FOREIGN_GROUP_TAGGED',
    seed: async (o) => o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'partner-api', tags: TAG, ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '203.0.113.0/24' }] }),
  },
  {
    // without the setting the guard cannot tell its own group from a foreign tagged one, so it may not name it (nor may the fallback policy)
    name: "the instance's own group, tagged by mistake, with no instanceSecurityGroupId",
    code: 'FOREIGN_GROUP_TAGGED',
    blocksInterface: true,
    seed: async (o) => tagOwnGroup(o),
  },
  {
    name: "the instance's own group, tagged by mistake, named by instanceSecurityGroupId",
    code: 'FOREIGN_GROUP_TAGGED',
    ownGroupConfigured: true,
    seed: async (o) => tagOwnGroup(o),
  },
  {
    name: "another team's untagged monitoring group on the media server, with instanceSecurityGroupId set",
    code: 'FOREIGN_GROUP_ON_INTERFACE',
    blocksInterface: true,
    ownGroupConfigured: true,
    seed: async (o) => {
      const monitoring = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'monitoring', ingress: [{ protocol: 'tcp', fromPort: 9100, toPort: 9100, cidr: '10.0.0.0/16' }] });
      await modifyAsOperator(o, [...o.emu.eni(o.eniId)!.groupIds, monitoring]);
      return monitoring;
    },
  },
  {
    name: "a group in another VPC with the guard's tag, name and description",
    seed: async (o) => {
      const vpc = o.emu.addVpc();
      const g = o.emu.addSecurityGroup({
        vpcId: vpc,
        name: 'AUTOUPDATE_CF-1',
        description: MANAGED_GROUP_DESCRIPTION,
        tags: TAG,
        ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '198.51.100.0/24' }],
      });
      o.emu.addInstance({ vpcId: vpc, groupIds: [g] });
      return g;
    },
  },
  {
    name: "the guard's own group attached by hand to a second instance's ENI",
    code: 'MANAGED_GROUP_ON_OTHER_INTERFACE',
    guardGroupRefused: true,
    seed: async (o) => {
      const [guard] = managedGroups(o.emu);
      const side = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'transcoder' });
      o.emu.addInstance({ vpcId: o.vpcId, groupIds: [side, guard.groupId] });
      return guard.groupId;
    },
  },
];

async function tagOwnGroup(o: Origin): Promise<string> {
  await o.emu.client('operator').send(new CreateTagsCommand({ Resources: [o.ownGroupId], Tags: [{ Key: 'PREFIX_NAME', Value: 'AUTOUPDATE_CF' }] }));
  return o.ownGroupId;
}

async function modifyAsOperator(o: Origin, groupIds: string[]): Promise<void> {
  const { ModifyNetworkInterfaceAttributeCommand } = await import('@aws-sdk/client-ec2');
  await o.emu.client('operator').send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: o.eniId, Groups: groupIds }));
}

interface Runner {
  readonly name: string;
  readonly kind: 'reconcile' | 'teardown';
  /** Runs once (told the own group when `own` is set); returns the ids it reports refused, every refusal code, and whether it reported the run as refused. */
  readonly run: (o: Origin, server: RangesServer, own: boolean) => Promise<{ refused: string[]; codes: string[]; refusedRun: boolean }>;
}

const RUNNERS: Runner[] = [
  {
    name: 'the bundle, on a plain no-op notification',
    kind: 'reconcile',
    run: async (o, server, own) => {
      const run = await invoke(handler, realEvent(server, BASE), ownEnv(o, own));
      expect(run.error).toBeUndefined();
      const line = run.result!;
      const refused = (line.refusedGroups as string[] | undefined) ?? [];
      return { refused, codes: warningCodes(line), refusedRun: line.ReconcileRefused === 1 };
    },
  },
  {
    name: 'the bundle, on the teardown at destroy',
    kind: 'teardown',
    run: async (o, _server, own) => {
      const run = await invoke(handler, DELETE, ownEnv(o, own));
      expect(run.error).toBeUndefined();
      const line = run.result!;
      return { refused: (line.refusedGroups as string[] | undefined) ?? [], codes: warningCodes(line), refusedRun: line.ReconcileRefused === 1 };
    },
  },
  ...(['reconcile', 'cleanup', 'cleanup --force'] as const).map((command): Runner => ({
    name: `cfguard ${command} --apply`,
    kind: command === 'reconcile' ? 'reconcile' : 'teardown',
    run: async (o, _server, own) => {
      const args = command === 'reconcile' ? ['reconcile', '--ip-ranges', rangesPath(BASE)] : ['cleanup', ...(command === 'cleanup --force' ? ['--force'] : [])];
      const run = await runCli([...args, '--apply', '--json', ...originFlags(o), ...(own ? ['--group-id', o.ownGroupId] : [])]);
      const doc = run.json();
      const refusedGroups = ((command === 'reconcile' ? doc.result?.refusedGroups : doc.refusedGroups) ?? []) as { groupId: string; code: string }[];
      // a group left in place is exit 2, so a pipeline notices; nothing refused is exit 0
      expect([run.code, run.stderr.includes('error ')]).toEqual([refusedGroups.length > 0 ? 2 : 0, false]);
      return { refused: refusedGroups.map((g) => g.groupId), codes: [...new Set(refusedGroups.map((g) => g.code))], refusedRun: refusedGroups.length > 0 };
    },
  })),
];

const ownEnv = (o: Origin, own: boolean) => o.env(own ? { INSTANCE_SECURITY_GROUP_ID: o.ownGroupId } : {});
/** Every refusal code the run line's warnings carry (refusedBy names only the first). */
const warningCodes = (line: Record<string, unknown>) => [...new Set(((line.warnings as { code: string }[] | undefined) ?? []).map((w) => w.code))];

/** The world as the test knows it before the run: what nobody but the guard may change. */
function frozen(world: EmuWorld, guardIds: ReadonlySet<string>, instanceId: string) {
  const groups = Object.fromEntries(Object.entries(world.groups).filter(([id]) => !guardIds.has(id)));
  const enis = Object.fromEntries(Object.entries(world.enis).filter(([, e]) => e.instanceId !== instanceId));
  const guarded = Object.fromEntries(
    Object.entries(world.enis)
      .filter(([, e]) => e.instanceId === instanceId)
      .map(([id, e]) => [id, e.groupIds.filter((g) => !guardIds.has(g))]),
  );
  return { groups, enis, guarded };
}

describe('ownership: what the guard may write, through the bundle and the CLI', () => {
  let server: RangesServer;
  beforeAll(async () => {
    server = await startRangesServer();
  });
  afterAll(async () => server.close());

  const cases = WORLDS.flatMap((world) => RUNNERS.map((runner) => ({ world, runner, label: `${world.name} / ${runner.name}` })));

  test.each(cases)('$label', async ({ world, runner }) => {
    const o = await startOrigin({}, server);
    try {
      // GIVEN the guard applied the document (its own group on the media ENI), then someone made the world below
      expect((await invoke(handler, realEvent(server, BASE), o.env())).error).toBeUndefined();
      const [guardGroup] = managedGroups(o.emu);
      const target = await world.seed(o);
      o.emu.resetCalls();
      const before = o.emu.world();
      // the guard's groups: the one it made, and any it makes now; unless the world makes its own group not its own
      const guardIds = new Set(world.guardGroupRefused ? [] : [guardGroup.groupId]);
      const expected = frozen(before, guardIds, o.instanceId);

      // WHEN
      // a stack that names its own group: the IAM proof (iam/guard-policy) builds this deployment's policy with it
      if (world.ownGroupConfigured) noteDeployment(o.emu.endpoint, { vpcId: o.vpcId, instanceId: o.instanceId, ownGroupIds: [o.ownGroupId] });
      const result = await runner.run(o, server, world.ownGroupConfigured === true);

      // THEN after every write: nothing but the guard's own groups changed, no other interface was written,
      // the guarded ENI kept every group that is not the guard's, and the origin let in nothing more
      const writes = o.emu.calls.filter((c) => c.write && c.ok);
      for (const [i, w] of writes.entries()) {
        const now = w.worldAfter!;
        const created = Object.keys(now.groups).filter((id) => !(id in before.groups));
        const mine = new Set([...guardIds, ...created]);
        const seen = frozen(now, mine, o.instanceId);
        expect({ write: i, action: w.action, ...seen }).toEqual({ write: i, action: w.action, ...expected });
        for (const key of w.ingressAfter?.[o.eniId] ?? []) expect({ write: i, key, allowed: OWN_RULES.includes(key) || CF_KEYS.has(key) }).toEqual({ write: i, key, allowed: true });
      }
      // the group under test is exactly as it was, wherever it was
      expect(o.emu.world().groups[target]).toEqual(before.groups[target]);

      // and it is named with its code, the run counted as refused (the alarm fires)
      if (world.code) {
        expect(result.refused).toContain(target);
        expect(result.codes).toContain(world.code);
        expect(result.refusedRun).toBe(true);
      } else {
        expect(result.refused).toEqual([]);
      }
      // a group the guard may not name on the media ENI keeps that ENI from being written at all, and is said so
      if (world.blocksInterface) expect(result.codes).toContain('FOREIGN_GROUP_ON_INTERFACE');
      else expect(result.codes).not.toContain('FOREIGN_GROUP_ON_INTERFACE');
      if (runner.kind === 'reconcile') {
        // the origin still reaches every CloudFront range through the guard's groups on the media ENI
        const onEni = o.emu.effectiveIngress(o.eniId);
        for (const k of CF_KEYS) expect(onEni).toContain(k);
        // a no-op with nothing refused on the guard's own group writes nothing at all
        if (!world.guardGroupRefused) expect(writes.map((w) => w.action)).toEqual([]);
      } else if (world.blocksInterface) {
        // the ENI could not be rewritten, so the guard's group stays on it, rules and all: it is not deleted
        expect(o.emu.eni(o.eniId)!.groupIds).toEqual(before.enis[o.eniId].groupIds);
        expect(o.emu.world().groups[guardGroup.groupId]).toEqual(before.groups[guardGroup.groupId]);
      } else if (!world.guardGroupRefused) {
        // the teardown removed the guard's own group, and only it
        expect(o.emu.group(guardGroup.groupId)).toBeUndefined();
      }
    } finally {
      await o.emu.close();
    }
  });
});
