import { EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { startEc2Emulator, type Ec2Emulator, type EmulatorOptions } from '../../emulator/ec2';

/** Builders shared by the emulator's own tests. */

export interface World {
  emu: Ec2Emulator;
  ec2: EC2Client;
  vpcId: string;
  defaultGroupId: string;
}

/** An emulator with one default VPC; `ec2` is the emulator's own client (3 attempts, standard retries). */
export async function startWorld(opts: EmulatorOptions = {}): Promise<World> {
  const emu = await startEc2Emulator(opts);
  const vpcId = emu.addVpc({ isDefault: true });
  const defaultGroupId = emu.groups().find((g) => g.vpcId === vpcId && g.groupName === 'default')!.groupId;
  return { emu, ec2: emu.client(), vpcId, defaultGroupId };
}

/** A client that never retries, to observe a single failed request. */
export function oneShotClient(emu: Ec2Emulator): EC2Client {
  return new EC2Client({ endpoint: emu.endpoint, region: emu.region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
}

export interface CaughtError {
  name: string;
  message: string;
  status?: number;
  attempts?: number;
}

/** The SDK error a call rejects with; fails the test if the call succeeds. */
export async function errorOf(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, attempts: err.$metadata?.attempts };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export function tcp(port: number, ...cidrs: string[]): IpPermission {
  return {
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    IpRanges: cidrs.filter((c) => !c.includes(':')).map((CidrIp) => ({ CidrIp })),
    Ipv6Ranges: cidrs.filter((c) => c.includes(':')).map((CidrIpv6) => ({ CidrIpv6 })),
  };
}

/** `n` distinct IPv4 /24s: 10.i.j.0/24. */
export function cidrs(n: number, second = 0): string[] {
  return Array.from({ length: n }, (_, i) => `10.${second}.${i}.0/24`);
}

export function cidrs6(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `2600:9000:${i.toString(16)}::/48`);
}
