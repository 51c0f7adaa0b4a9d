/**
 * The exposure audit's prefix-list rule: CloudFront's origin-facing managed list on an origin port is
 * CloudFront (the prefix-list mode's lock), any other list is exposure. The pure audit decides by id;
 * the AWS shell finds CloudFront's ids by name (they differ per region), and only when a prefix list
 * actually reaches an origin port, so audits without one keep their two reads.
 */
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { auditExposure, CLOUDFRONT_PREFIX_LISTS, type AuditedGroup } from '../../lambda-src/core/exposure';
import { auditInstanceExposure } from '../../lambda-src/aws/exposure-audit';
import type { PortSpec, Rule } from '../../lambda-src/core/model';
import { startEc2Emulator, type Ec2Emulator } from '../../emulator/ec2';
import { eni, INSTANCE, tcp } from '../support/builders';

const PORTS: PortSpec[] = [{ protocol: 'tcp', fromPort: 80, toPort: 80 }];
const CF_V4 = 'pl-3b927c52';
const CF_V6 = 'pl-5fa1a3c0';
const S3 = 'pl-6da54004';
const OWN = 'sg-0wn0000000000000a';

function audit(ingress: Rule[], cloudFrontPrefixLists?: string[]) {
  const groups = new Map<string, AuditedGroup>([[OWN, { groupId: OWN, groupName: 'media-server', ingress }]]);
  return auditExposure({ enis: [eni(1, [OWN])], groups, publishedRanges: new Set(['120.52.22.96/27']), ports: PORTS, cloudFrontPrefixLists });
}

describe('auditExposure: prefix lists', () => {
  test.each([
    ['CloudFront IPv4 list on the origin port', [tcp(80, CF_V4)], []],
    ['CloudFront IPv6 list on the origin port', [tcp(80, CF_V6)], []],
    ['another list on the origin port', [tcp(80, S3)], [{ rule: `80/tcp from ${S3}`, kind: 'prefix-list' }]],
    ['CloudFront list next to another list', [tcp(80, CF_V4), tcp(80, S3)], [{ rule: `80/tcp from ${S3}`, kind: 'prefix-list' }]],
    ['CloudFront list on every protocol', [{ protocol: '-1', fromPort: -1, toPort: -1, source: CF_V4 }], []],
    ['another list on another port is no origin exposure', [tcp(22, S3)], []],
  ])('GIVEN %s WHEN audited with CloudFront’s ids THEN the exposure is exactly the non-CloudFront lists', (_, ingress, exposed) => {
    const report = audit(ingress, [CF_V4, CF_V6]);
    expect(report.exposed.map(({ rule, kind }) => ({ rule, kind }))).toEqual(exposed);
    expect(report.warnings).toEqual([]);
  });

  test('without CloudFront’s ids every prefix list on an origin port is exposure: the id, not the shape, decides', () => {
    expect(audit([tcp(80, CF_V4)]).exposed).toEqual([
      { groupId: OWN, groupName: 'media-server', rule: `80/tcp from ${CF_V4}`, kind: 'prefix-list', managed: false, eniIds: [eni(1, []).eniId], instanceIds: [INSTANCE] },
    ]);
  });

  test('the list names are the ones AWS publishes', () => {
    expect(CLOUDFRONT_PREFIX_LISTS).toEqual({ ipv4: 'com.amazonaws.global.cloudfront.origin-facing', ipv6: 'com.amazonaws.global.ipv6.cloudfront.origin-facing' });
  });
});

describe('auditInstanceExposure: CloudFront’s list found by name, and only when needed', () => {
  let emu: Ec2Emulator;
  let vpcId: string;
  let ownGroupId: string;
  let instanceId: string;
  beforeEach(async () => {
    emu = await startEc2Emulator();
    vpcId = emu.addVpc({ isDefault: true });
    ownGroupId = emu.addSecurityGroup({ vpcId, name: 'media-server', ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '198.51.100.0/24' }] });
    instanceId = emu.addInstance({ vpcId, groupIds: [ownGroupId] }).instanceId;
    emu.resetCalls();
  });
  afterEach(() => emu.close());

  const run = () => auditInstanceExposure(new Ec2SecurityGroupManager(emu.client()), { vpcId, instanceIds: [instanceId], prefixName: 'AUTOUPDATE_CF', ports: PORTS, publishedRanges: new Set() });
  const allow = (PrefixListId: string) =>
    emu.client('setup').send(new AuthorizeSecurityGroupIngressCommand({ GroupId: ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds: [{ PrefixListId }] }] }));

  test('GIVEN no prefix list on an origin port THEN two reads, no prefix-list lookup', async () => {
    expect((await run()).exposed).toEqual([]);
    expect(emu.calls.map((c) => c.action)).toEqual(['DescribeNetworkInterfaces', 'DescribeSecurityGroups']);
  });

  test('GIVEN the own group admits the region’s CloudFront origin-facing list on 80 THEN no exposure, at one read more', async () => {
    await allow(emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4));
    emu.resetCalls();
    expect(await run()).toMatchObject({ exposed: [], warnings: [] });
    expect(emu.calls.map((c) => c.action)).toEqual(['DescribeNetworkInterfaces', 'DescribeSecurityGroups', 'DescribeManagedPrefixLists']);
  });

  test('GIVEN the own group admits the S3 list on 80 THEN it is exposure, named by group and rule', async () => {
    const s3 = emu.managedPrefixListId(`com.amazonaws.${emu.region}.s3`);
    await allow(emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4));
    await allow(s3);
    const report = await run();
    expect(report.exposed).toEqual([
      { groupId: ownGroupId, groupName: 'media-server', rule: `80/tcp from ${s3}`, kind: 'prefix-list', managed: false, eniIds: report.enisAudited, instanceIds: [instanceId] },
    ]);
  });
});
