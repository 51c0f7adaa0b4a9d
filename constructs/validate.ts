import { Token } from 'cdktf';
import { awsIdRule, isAwsId, type AwsIdKind } from '../lambda-src/core/aws-ids';
import { badValueMessage, guardError, type GuardError } from '../lambda-src/core/errors';

/**
 * Small prop validators shared by the constructs. Each one skips unresolved tokens: a value only
 * known at apply time cannot be checked at synth, and refusing it would forbid composing constructs.
 */

export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** The one error shape for a bad prop: `'<prop>' must be <rule>, got <value>`. */
export function invalidProp(prop: string, rule: string, value: unknown, details: Record<string, unknown> = {}): GuardError {
  return guardError('CONFIG_INVALID', badValueMessage(prop, `must be ${rule}`, value, 'text', Infinity), 'usage', { prop, value, ...details });
}

export function checkPattern(prop: string, value: string | undefined, pattern: RegExp, rule: string): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!pattern.test(value)) throw invalidProp(prop, rule, value);
}

/** An AWS resource id prop (core/aws-ids): `'<prop>' must be an instance id like 'i-0123456789abcdef0'`. */
export function checkAwsId(prop: string, value: string | undefined, kind: AwsIdKind): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!isAwsId(kind, value)) throw invalidProp(prop, awsIdRule(kind), value);
}

export function checkIntRange(prop: string, value: number | undefined, min: number, max: number, rule = `an integer from ${min} to ${max}`): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) throw invalidProp(prop, rule, value);
}

export function checkOneOf<T extends string>(prop: string, value: T | undefined, allowed: readonly T[]): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!allowed.includes(value)) throw invalidProp(prop, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
}
