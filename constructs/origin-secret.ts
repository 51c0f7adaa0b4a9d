import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { DEFAULT_ORIGIN_SECRET_HEADER, FORBIDDEN_ORIGIN_HEADERS, HEADER_NAME_PATTERN, BEARER_HEADER, type OriginSecretHeaderShape } from '../lambda-src/config/origin-secret';
import { checkIntRange, checkOneOf, checkPattern, invalidProp, isUnresolved } from './validate';

export interface OriginSecretProps {
  /** The SecureString parameter holding `{"current","previous"}`, e.g. `/cfguard/live/origin-secret`. */
  readonly parameterName: string;
  /** The header's name in the `plain` shape. @default 'X-Origin-Verify' */
  readonly headerName?: string;
  /** `plain` sends `<headerName>: <secret>`; `bearer` sends `Authorization: Bearer <secret>` (MediaMTX). @default 'plain' */
  readonly headerShape?: OriginSecretHeaderShape;
  /** Which version of the parameter CloudFront sends the `current` value of; bumped by a rotation. @default 1 */
  readonly secretVersion?: number;
  /** The origin instance's IAM role name: gets `ssm:GetParameter` on this parameter alone. @default - no grant */
  readonly instanceRoleName?: string;
  /** Tags on the parameter. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The secret origin header's cloud side. The first deploy writes a random value into the parameter
 * through the write-only `value_wo` (Terraform's `uuid()`, evaluated at apply: no literal in the
 * config or the synthesized JSON, none in the parameter's state); `cfguard rotate-origin-secret`
 * writes the later versions. CloudFront's header is read back from the parameter at `secretVersion`,
 * so the value CloudFront sends changes only when the operator bumps that number and deploys.
 */
export class OriginSecret extends Construct {
  public readonly parameter: SsmParameter;
  /** The parameter's name. */
  public readonly parameterName: string;
  /** The parameter's ARN. */
  public readonly parameterArn: string;
  /** The header's name CloudFront sends. */
  public readonly headerName: string;
  /** The header's value CloudFront sends (sensitive: a Terraform expression over the parameter). */
  public readonly headerValue: string;
  /** The instance role's grant, when `instanceRoleName` is set. */
  public readonly instanceGrant?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    const shape = props.headerShape ?? 'plain';
    const secretVersion = props.secretVersion ?? 1;
    validateOriginSecretProps(props);

    // 2 x 122 random bits, hex; `uuid()` is re-evaluated at every plan, so only `value_wo_version` decides when it is written.
    const firstValue = Fn.replace(Fn.join('', [Fn.uuid(), Fn.uuid()]), '-', '');
    this.parameter = new SsmParameter(this, 'parameter', {
      name: props.parameterName,
      description: 'cloudfront-origin-guard: the secret origin header, {"current","previous"}; written by the first deploy and cfguard rotate-origin-secret',
      type: 'SecureString',
      valueWo: Fn.jsonencode({ current: firstValue, previous: '' }),
      valueWoVersion: 1,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.parameterName = this.parameter.name;
    this.parameterArn = this.parameter.arn;

    // Read after the parameter exists; a version selector pins what CloudFront sends while a rotation stages the next value.
    const sent = new DataAwsSsmParameter(this, 'sent-version', {
      name: `${this.parameter.name}:${secretVersion}`,
      withDecryption: true,
      dependsOn: [this.parameter],
    });
    const secret = Fn.lookupNested(Fn.jsondecode(sent.value), ['current']) as string;
    this.headerName = shape === 'bearer' ? BEARER_HEADER : (props.headerName ?? DEFAULT_ORIGIN_SECRET_HEADER);
    this.headerValue = shape === 'bearer' ? Fn.format('Bearer %s', [secret]) : secret;

    if (props.instanceRoleName !== undefined) {
      this.instanceGrant = new IamRolePolicy(this, 'instance-read', {
        name: 'cfguard-origin-secret-read',
        role: props.instanceRoleName,
        policy: Fn.jsonencode({
          Version: '2012-10-17',
          Statement: [{ Sid: 'ReadOriginSecret', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: this.parameter.arn }],
        }),
      });
    }
  }
}

export function validateOriginSecretProps(props: OriginSecretProps): void {
  checkPattern('originSecret.parameterName', props.parameterName, /^\/[A-Za-z0-9_.\-/]{1,1010}$/, "an SSM parameter path starting with '/', of letters, digits and _.-/");
  if (!isUnresolved(props.parameterName) && /^\/(aws|ssm)/i.test(props.parameterName)) {
    throw invalidProp('originSecret.parameterName', "a name not starting with '/aws' or '/ssm' (reserved by AWS)", props.parameterName);
  }
  checkOneOf('originSecret.headerShape', props.headerShape, ['plain', 'bearer']);
  checkIntRange('originSecret.secretVersion', props.secretVersion, 1, 100000, 'an SSM parameter version, an integer from 1');
  const name = props.headerName;
  if (name !== undefined && !isUnresolved(name)) {
    if (props.headerShape === 'bearer') throw invalidProp('originSecret.headerName', "absent with headerShape 'bearer' (the header is Authorization)", name);
    checkPattern('originSecret.headerName', name, HEADER_NAME_PATTERN, 'an HTTP header name (letters, digits, -)');
    const lower = name.toLowerCase();
    if (FORBIDDEN_ORIGIN_HEADERS.includes(lower) || lower.startsWith('x-amz-') || lower.startsWith('x-edge-') || lower === 'authorization') {
      throw invalidProp('originSecret.headerName', "a header CloudFront lets a distribution add (not Host, Authorization, X-Amz-*, X-Edge-*, …); use headerShape 'bearer' for Authorization", name);
    }
  }
  checkPattern('originSecret.instanceRoleName', props.instanceRoleName, /^[A-Za-z0-9+=,.@_-]{1,64}$/, 'an IAM role name (not an ARN)');
}
