/*
 * Every request the emulators receive, recorded while a test asks for it, so a test can turn each
 * into the IAM request AWS would authorize (__tests__/iam). Off by default: with no recorder
 * active, nothing is kept (the bench and most tests pay nothing).
 */

/** What an EC2 request names, as it stood before the call: IAM authorizes against these. */
export interface Ec2ResourceFacts {
  readonly groups: Readonly<Record<string, { readonly vpcId: string; readonly tags: Readonly<Record<string, string>> }>>;
  readonly enis: Readonly<Record<string, { readonly vpcId: string; readonly subnetId: string; readonly instanceId?: string }>>;
  readonly instances: Readonly<Record<string, { readonly vpcId: string }>>;
}

export interface RecordedCall {
  /** IAM's service prefix: ec2, sts, servicequotas, lambda. */
  readonly service: string;
  readonly action: string;
  /** The request's parameters: Query parameters, or a JSON body's top-level fields. */
  readonly params: Readonly<Record<string, string>>;
  /** The SigV4 credential scope's region and access key, as the client signed the request. */
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly ok: boolean;
  readonly errorCode?: string;
  /** EC2 only. */
  readonly ec2?: Ec2ResourceFacts;
  /** Ids the call created (EC2 CreateSecurityGroup: the new group). */
  readonly created?: readonly string[];
  /** The emulator that answered. */
  readonly endpoint?: string;
  /** The SDK's app id from the User-Agent (`app/cfguard-reconcile`): which cfguard command called. */
  readonly appId?: string;
  /** The guard's settings in this process's environment when the call arrived (the in-process Lambda's). */
  readonly guardEnv?: Readonly<Record<string, string>>;
}

/** The deployment an EC2 emulator stands for: the guard's VPC and instance (the origin fixture's). */
export interface Deployment {
  readonly vpcId: string;
  readonly instanceId: string;
  /**
   * The instance's own group when the scenario's stack names it (instanceSecurityGroupId), for calls
   * that carry no INSTANCE_SECURITY_GROUP_ID of their own (a CLI run given --group-id, in its own
   * process): the policy names it by ARN (NameOwnGroupOnInterface). @default - none named
   */
  readonly ownGroupIds?: readonly string[];
  /** Every guarded instance, primary first, when the deployment has a secondary origin. @default - `instanceId` alone */
  readonly instanceIds?: readonly string[];
}

const deployments = new Map<string, Deployment>();

export function noteDeployment(endpoint: string, deployment: Deployment): void {
  deployments.set(endpoint, deployment);
}

export function deploymentAt(endpoint: string | undefined): Deployment | undefined {
  return endpoint === undefined ? undefined : deployments.get(endpoint);
}

/**
 * The Lambda's setting variables present in the environment right now: the ones the function's policy
 * is built from (constructs/guard-iam.ts), INSTANCE_SECURITY_GROUP_ID included (NameOwnGroupOnInterface).
 */
export function guardEnvNow(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['REGION', 'VPC_ID', 'INSTANCE_ID', 'GUARDED_INSTANCE_IDS', 'GUARDED_OWN_GROUP_IDS', 'PREFIX_NAME', 'INSTANCE_SECURITY_GROUP_ID']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

const active = new Set<CallRecorder>();

export class CallRecorder {
  readonly calls: RecordedCall[] = [];

  stop(): void {
    active.delete(this);
  }
}

/** Starts keeping every call any emulator in this process receives, until `stop()`. */
export function startRecording(): CallRecorder {
  const recorder = new CallRecorder();
  active.add(recorder);
  return recorder;
}

export function isRecording(): boolean {
  return active.size > 0;
}

export function record(call: RecordedCall): void {
  for (const recorder of active) recorder.calls.push(call);
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261201/eu-north-1/ec2/aws4_request, …` -> region and key; the User-Agent's app id. */
export function signedScope(headers: { readonly authorization?: string; readonly 'user-agent'?: string }): { region?: string; accessKeyId?: string; appId?: string } {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(headers.authorization ?? '');
  const app = /(?:^|\s)app\/([^\s]+)/.exec(headers['user-agent'] ?? '');
  return { ...(m ? { accessKeyId: m[1], region: m[2] } : {}), ...(app ? { appId: app[1] } : {}) };
}
