import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EipAssociation } from '@cdktf/provider-aws/lib/eip-association';
import { DataAwsEip } from '@cdktf/provider-aws/lib/data-aws-eip';
import { TerraformOutput } from 'cdktf';
import { OriginElasticIp } from '../../constructs/origin-elastic-ip';
import { synth, synthError } from '../support/construct-synth';

const INSTANCE = 'i-0123456789abcdef0';
const ALLOCATION = 'eipalloc-0abc1234def567890';

describe('OriginElasticIp', () => {
  test('GIVEN only an instance THEN it allocates a VPC address and associates it with the instance', () => {
    const s = synth((scope) => new OriginElasticIp(scope, 'elastic-ip', { instanceId: INSTANCE }));
    expect(s.json).toHaveResourceWithProperties(Eip, { domain: 'vpc' });
    expect(s.json).toHaveResourceWithProperties(EipAssociation, { instance_id: INSTANCE, allocation_id: expect.stringMatching(/^\$\{aws_eip\.[^.]+\.allocation_id\}$/) });
    expect(s.json).not.toHaveDataSource(DataAwsEip);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN a new address THEN its construct id is `eip`, the import path the CLI writes', () => {
    let eipPath = '';
    synth((scope) => {
      eipPath = new OriginElasticIp(scope, 'elastic-ip', { instanceId: INSTANCE }).eip!.node.path;
    });
    expect(eipPath).toBe('stack/elastic-ip/eip');
  });

  test("GIVEN a new address THEN public IP, public DNS and allocation id are the EIP's attributes", () => {
    const s = synth((scope) => {
      const eip = new OriginElasticIp(scope, 'elastic-ip', { instanceId: INSTANCE });
      new TerraformOutput(scope, 'ip', { value: eip.publicIp });
      new TerraformOutput(scope, 'dns', { value: eip.publicDns });
      new TerraformOutput(scope, 'alloc', { value: eip.allocationId });
    });
    const outputs = JSON.parse(s.json).output;
    expect(outputs.ip.value).toMatch(/^\$\{aws_eip\.[^.]+\.public_ip\}$/);
    expect(outputs.dns.value).toMatch(/^\$\{aws_eip\.[^.]+\.public_dns\}$/);
    expect(outputs.alloc.value).toMatch(/^\$\{aws_eip\.[^.]+\.allocation_id\}$/);
  });

  test('GIVEN tags THEN the new address carries them', () => {
    const s = synth((scope) => new OriginElasticIp(scope, 'elastic-ip', { instanceId: INSTANCE, tags: { project: 'streaming' } }));
    expect(s.json).toHaveResourceWithProperties(Eip, { tags: { project: 'streaming' } });
  });

  test('GIVEN an existing allocation THEN it is read and associated, and nothing is allocated', () => {
    const s = synth((scope) => {
      const eip = new OriginElasticIp(scope, 'elastic-ip', { instanceId: INSTANCE, allocationId: ALLOCATION });
      expect(eip.eip).toBeUndefined();
      expect(eip.allocationId).toBe(ALLOCATION);
      new TerraformOutput(scope, 'dns', { value: eip.publicDns });
    });
    expect(s.json).not.toHaveResource(Eip);
    expect(s.json).toHaveDataSourceWithProperties(DataAwsEip, { id: ALLOCATION });
    expect(s.json).toHaveResourceWithProperties(EipAssociation, { allocation_id: ALLOCATION, instance_id: INSTANCE });
    expect(JSON.parse(s.json).output.dns.value).toMatch(/^\$\{data\.aws_eip\.[^.]+\.public_dns\}$/);
    expect(s.schemaProblems()).toEqual([]);
  });

  test.each([
    ['instanceId', { instanceId: 'web-1' }, "'instanceId' must be an instance id like 'i-0123456789abcdef0', got 'web-1'"],
    ['allocationId', { instanceId: INSTANCE, allocationId: 'eip-123' }, "'allocationId' must be an allocation id like 'eipalloc-0123456789abcdef0', got 'eip-123'"],
  ])('GIVEN a malformed %s THEN it fails with CONFIG_INVALID naming it', (_name, props, message) => {
    const error = synthError((scope) => new OriginElasticIp(scope, 'elastic-ip', props));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(message);
  });
});
