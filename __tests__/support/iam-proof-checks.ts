/**
 * The IAM proof of one scenario file's recorded calls: the guard's EC2 calls against the policy the
 * construct synthesizes for the call's deployment (buildGuardPolicy), each CLI command's calls against
 * its statements in the README's operator policy. Pure but for the simulator: a test can hand it calls
 * and a policy of its own.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';
import { buildGuardPolicy } from '../../constructs/guard-iam';
import { ownGroupIdsOf } from '../../lambda-src/core/ownership';
import { ACTOR_APP_ID_PREFIX } from '../../emulator/ec2/emulator';
import { deploymentAt, type RecordedCall } from '../../emulator/recorder';
import { ACCOUNT, decide, ec2Requests, iamRequests } from './iam-requests';

export const OPERATOR = `arn:aws:iam::${ACCOUNT}:user/operator`;

export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
}

export interface OperatorPolicy {
  readonly Version: string;
  readonly Statement: readonly Statement[];
}

/** The ```json block of the README's "The operator's rights" section. */
export function readmePolicy(readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')): OperatorPolicy {
  const section = readme.split(/^### The operator's rights$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!json) throw new Error('README: the section "### The operator\'s rights" must hold a ```json policy block');
  return JSON.parse(json);
}

/** `cfguard reconcile` -> `CfguardReconcile`, the statement's Sid. */
export const sidOf = (command: string) =>
  `Cfguard${command
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;

/** A command's statements: `CfguardRotateOriginSecret`, and `CfguardRotateOriginSecretOn<Resource>` for another resource type. */
export const statementsOf = (policy: OperatorPolicy, command: string) => policy.Statement.filter((s) => new RegExp(`^${sidOf(command)}(On[A-Z][A-Za-z]*)?$`).test(s.Sid));

/** The cfguard command that made a call, from the SDK app id `cfguard-<command>` every cfguard client sets. */
export const commandOf = (call: RecordedCall): string | undefined => /^cfguard-([a-z-]+)$/.exec(call.appId ?? '')?.[1];

/** The guard's calls: EC2 calls not made by someone else in the scenario (an attacker's tag, a setup edit: `actor-…`). */
export const guardCalls = (calls: readonly RecordedCall[]) => calls.filter((c) => c.service === 'ec2' && !c.appId?.startsWith(ACTOR_APP_ID_PREFIX));

/** The policy the construct synthesizes for the deployment the call reached (the origin fixture's, or the in-process Lambda's settings). */
export function guardPolicyFor(call: RecordedCall) {
  const deployment = deploymentAt(call.endpoint);
  const env = call.guardEnv ?? {};
  const vpcId = env.VPC_ID || deployment?.vpcId;
  const instanceId = env.INSTANCE_ID || deployment?.instanceId;
  if (!vpcId || !instanceId) throw new Error(`no deployment known for ${call.endpoint}: start the emulator with startOrigin()`);
  // The own group exactly as the stack passes it: instanceSecurityGroupId becomes both the function's
  // INSTANCE_SECURITY_GROUP_ID (recorded with each call, or named by the scenario's deployment for a CLI
  // run) and the policy's NameOwnGroupOnInterface; without it, the stack synthesizes the
  // NameUntaggedGroupsOnInterface policy, and so does this.
  const ownGroupIds = env.INSTANCE_SECURITY_GROUP_ID
    ? ownGroupIdsOf({ instanceSecurityGroupId: env.INSTANCE_SECURITY_GROUP_ID, guardedOwnGroupIds: env.GUARDED_OWN_GROUP_IDS?.split(',') })
    : deployment?.ownGroupIds;
  // A secondary origin: the function's GUARDED_INSTANCE_IDS when the in-process Lambda made the call, else the deployment's (the fixture's)
  const instanceIds = env.GUARDED_INSTANCE_IDS ? env.GUARDED_INSTANCE_IDS.split(',') : deployment?.instanceIds;
  return buildGuardPolicy({
    partition: 'aws',
    accountId: ACCOUNT,
    region: env.REGION ?? call.region ?? 'eu-north-1',
    functionName: 'guard',
    prefixName: env.PREFIX_NAME ?? 'AUTOUPDATE_CF',
    vpcId,
    instanceId,
    ownGroupIds,
    ...(instanceIds ? { instanceIds } : {}),
  });
}

export interface GuardProof {
  /** One line per request the policy does not allow. */
  readonly denied: string[];
  /** The EC2 operations the guard called (`CreateTags`). */
  readonly actions: string[];
  /** ENI writes proved against a policy naming the own group by ARN (NameOwnGroupOnInterface), not the untagged stand-in. */
  readonly ownGroupByArnWrites: number;
  /** A digest per distinct (policy, request) simulated: the run counts them across files. */
  readonly requestKeys: string[];
}

const digest = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('hex');

/** Simulates every request of every guard call against its deployment's policy; each distinct one once. */
export async function proveGuardCalls(calls: readonly RecordedCall[], policyFor: (call: RecordedCall) => object = guardPolicyFor): Promise<GuardProof> {
  const mine = guardCalls(calls);
  const denied: string[] = [];
  const seen = new Set<string>();
  let ownGroupByArnWrites = 0;
  for (const call of mine) {
    const policy = policyFor(call);
    const statements = (policy as { Statement?: { Sid?: string }[] }).Statement ?? [];
    if (call.action === 'ModifyNetworkInterfaceAttribute' && statements.some((st) => st.Sid === 'NameOwnGroupOnInterface')) ownGroupByArnWrites++;
    for (const request of ec2Requests(call)) {
      const key = digest([policy, request.action, request.resource, request.context]);
      if (seen.has(key)) continue;
      seen.add(key);
      const decision = await decide(policy, request);
      if (decision !== 'Allowed') denied.push(`${request.why} (${request.action} on ${request.resource}): ${decision}`);
    }
  }
  return { denied, actions: [...new Set(mine.map((c) => c.action))].sort(), ownGroupByArnWrites, requestKeys: [...seen].sort() };
}

export interface OperatorProof {
  readonly denied: string[];
  /** Per command, the IAM actions its calls needed (`ec2:DescribeVpcs`). */
  readonly used: Record<string, string[]>;
}

/** Simulates every request of every cfguard command's call against that command's statements alone. */
export async function proveOperatorCalls(calls: readonly RecordedCall[], policy: OperatorPolicy): Promise<OperatorProof> {
  const used = new Map<string, Set<string>>();
  const denied: string[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    const command = commandOf(call);
    if (!command) continue;
    const requests = iamRequests(call);
    const actions = used.get(command) ?? used.set(command, new Set()).get(command)!;
    for (const r of requests) actions.add(r.action);
    const statements = statementsOf(policy, command);
    if (statements.length === 0) {
      const line = `${command}: no statement ${sidOf(command)} in the README policy`;
      if (!denied.includes(line)) denied.push(line);
      continue;
    }
    const commandPolicy = { Version: '2012-10-17', Statement: statements };
    for (const request of requests) {
      const key = JSON.stringify([command, request.action, request.resource, request.context]);
      if (seen.has(key)) continue;
      seen.add(key);
      if ((await decide(commandPolicy, request, OPERATOR)) !== 'Allowed') denied.push(`${command}: ${request.why} (${request.action} on ${request.resource})`);
    }
  }
  return { denied, used: Object.fromEntries([...used].map(([c, a]) => [c, [...a].sort()])) };
}
