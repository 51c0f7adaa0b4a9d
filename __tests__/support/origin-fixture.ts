/**
 * GIVEN an origin like the tutorial's: a VPC, the media server's own group with 22 and 80 open to
 * the world, an instance with one ENI carrying it, the EC2 emulator, and a loopback ranges server.
 */
import { RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { startEc2Emulator, type Ec2Emulator, type EmulatorOptions } from '../../emulator/ec2';
import { startRangesServer, type RangesServer } from '../../emulator/ranges-server';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { noteDeployment } from '../../emulator/recorder';

export const TOPIC = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';
export const PREFIX = 'AUTOUPDATE_CF';

export interface Origin {
  readonly emu: Ec2Emulator;
  readonly server: RangesServer;
  readonly vpcId: string;
  readonly ownGroupId: string;
  readonly instanceId: string;
  readonly eniId: string;
  /** Env for the handler: endpoint override, VPC, instance, allow-listed loopback URLs. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function startOrigin(opts: EmulatorOptions = {}, server?: RangesServer): Promise<Origin> {
  const emu = await startEc2Emulator(opts);
  const ranges = server ?? (await startRangesServer());
  const vpcId = emu.addVpc({ isDefault: true });
  const ownGroupId = emu.addSecurityGroup({
    vpcId,
    name: 'media-server',
    ingress: [
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
      { protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' },
      { protocol: 'udp', fromPort: 1935, toPort: 1935, cidr: '0.0.0.0/0' },
    ],
  });
  const { instanceId, eniIds } = emu.addInstance({ vpcId, groupIds: [ownGroupId] });
  // The deployment the IAM proof checks this emulator's calls against (__tests__/iam).
  noteDeployment(emu.endpoint, { vpcId, instanceId });
  return {
    emu,
    server: ranges,
    vpcId,
    ownGroupId,
    instanceId,
    eniId: eniIds[0],
    env: (extra = {}) => ({
      AWS_ENDPOINT_URL_EC2: emu.endpoint,
      AWS_REGION: 'eu-north-1',
      REGION: 'eu-north-1',
      VPC_ID: vpcId,
      INSTANCE_ID: instanceId,
      IP_RANGES_ALLOWED_URLS: allowList(ranges),
      PORTS: undefined,
      SERVICE: undefined,
      IPV6: undefined,
      RULES_PER_GROUP: undefined,
      GROUPS_PER_INTERFACE: undefined,
      MAX_REVOKE_FRACTION: undefined,
      PREFIX_NAME: undefined,
      INSTANCE_SECURITY_GROUP_ID: undefined,
      SNS_TOPIC_ARN: undefined,
      INGEST_RULES: undefined,
      DEBUG: undefined,
      ...extra,
    }),
    close: async () => {
      await emu.close();
      if (!server) await ranges.close();
    },
  };
}

/** Every name a test may serve; exact URLs, as the allow-list demands. */
export const SERVABLE = [...MANIFEST.map((m) => m.file), 'custom-1.json', 'custom-2.json', 'custom-3.json', 'custom-4.json', 'custom-5.json'];

export function allowList(server: RangesServer): string {
  return SERVABLE.map((n) => server.url(n)).join(',');
}

export const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('hex');

/** The SNS event AWS would deliver for a document served at `url`. */
export function snsEvent(url: string, body: Buffer | string, syncToken: string, topicArn = TOPIC): object {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:00000000-0000-0000-0000-000000000000`,
        Sns: {
          Type: 'Notification',
          MessageId: '00000000-0000-0000-0000-000000000001',
          TopicArn: topicArn,
          Subject: null,
          Message: JSON.stringify({ 'create-time': '2026-08-22-15-17-05', synctoken: syncToken, md5: md5(body), url }),
          Timestamp: '2026-08-22T15:17:05.000Z',
          SignatureVersion: '1',
          MessageAttributes: {},
        },
      },
    ],
  };
}

export function realEvent(server: RangesServer, file: string): object {
  const entry = MANIFEST.find((m) => m.file === file)!;
  return snsEvent(server.url(file), readFileSync(rangesPath(file)), entry.syncToken);
}

/** A document derived from a real one, with CLOUDFRONT_ORIGIN_FACING IPv4 ranges replaced. */
export function customDocument(baseFile: string, syncToken: string, originFacingV4: string[]): string {
  const doc = JSON.parse(readFileSync(rangesPath(baseFile), 'utf8'));
  doc.syncToken = syncToken;
  doc.prefixes = doc.prefixes.filter((p: { service: string }) => p.service !== 'CLOUDFRONT_ORIGIN_FACING');
  for (const ip_prefix of originFacingV4) doc.prefixes.push({ ip_prefix, region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING', network_border_group: 'GLOBAL' });
  return JSON.stringify(doc);
}

/** A real document's IPv4 ranges for one service (CLOUDFRONT_ORIGIN_FACING unless named). */
export function serviceV4(file: string, service = 'CLOUDFRONT_ORIGIN_FACING'): string[] {
  const doc = JSON.parse(readFileSync(rangesPath(file), 'utf8'));
  return doc.prefixes.filter((p: { service: string }) => p.service === service).map((p: { ip_prefix: string }) => p.ip_prefix);
}

export const originFacingV4 = (file: string): string[] => serviceV4(file);

/** Rule keys (`proto|from|to|source`) reachable on the origin's ENI through every group it carries, managed or not. */
export function reachableRuleKeys(o: Origin): Set<string> {
  const keys = new Set<string>();
  for (const id of o.emu.eni(o.eniId)!.groupIds) for (const r of o.emu.group(id)?.ingress ?? []) keys.add(`${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`);
  return keys;
}

/** Rule keys held by the managed groups, as `proto|from|to|source`. */
export function managedRuleKeys(emu: Ec2Emulator, prefix = PREFIX): string[] {
  return emu
    .groups()
    .filter((g) => g.tags.PREFIX_NAME === prefix)
    .flatMap((g) => g.ingress.map((r) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`))
    .sort();
}

export function managedGroups(emu: Ec2Emulator, prefix = PREFIX) {
  return emu.groups().filter((g) => g.tags.PREFIX_NAME === prefix);
}

export const writes = (emu: Ec2Emulator) => emu.calls.filter((c) => c.write);

/**
 * Closes the tutorial's world-open 80/tcp on the own group (as `cfguard open-ingest --close-public 80`
 * would once CloudFront reaches the origin): for tests about something else than the exposure audit,
 * which would otherwise rightly report it.
 */
export async function closeWorldOpenOriginPort(o: Origin): Promise<void> {
  await o.emu.client().send(new RevokeSecurityGroupIngressCommand({ GroupId: o.ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  o.emu.resetCalls();
}
