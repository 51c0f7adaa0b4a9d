import { createHash } from 'node:crypto';
import type { EmuEni, EmuGroup, EmuRule, EmuWorld } from './types';

/** Everything the emulated account holds. Plain data, so a write can run on a clone and commit. */

export const OWNER_ID = '123456789012';

export interface VpcRecord {
  vpcId: string;
  isDefault: boolean;
  cidrBlock: string;
  tags: Record<string, string>;
}

export interface GroupRecord extends EmuGroup {}

export interface EniRecord extends EmuEni {
  deviceIndex?: number;
  attachmentId?: string;
  privateIp: string;
  macAddress: string;
  tags: Record<string, string>;
}

export interface InstanceRecord {
  instanceId: string;
  vpcId: string;
  reservationId: string;
  /** In device-index order; the first is the primary ENI, whose groups are the instance's. */
  eniIds: string[];
  tags: Record<string, string>;
}

export interface AddressRecord {
  allocationId: string;
  publicIp: string;
  instanceId?: string;
  eniId?: string;
  associationId?: string;
  tags: Record<string, string>;
}

export interface Ec2State {
  /** Counter behind every generated id, so ids are deterministic per emulator. */
  seq: number;
  vpcs: Map<string, VpcRecord>;
  groups: Map<string, GroupRecord>;
  enis: Map<string, EniRecord>;
  instances: Map<string, InstanceRecord>;
  addresses: Map<string, AddressRecord>;
}

export function emptyState(): Ec2State {
  return { seq: 0, vpcs: new Map(), groups: new Map(), enis: new Map(), instances: new Map(), addresses: new Map() };
}

export function cloneState(state: Ec2State): Ec2State {
  return structuredClone(state);
}

/** `prefix-` + 17 hex chars, like EC2's long ids. */
export function newId(state: Ec2State, prefix: string): string {
  state.seq += 1;
  return `${prefix}-${createHash('sha1').update(`${prefix}:${state.seq}`).digest('hex').slice(0, 17)}`;
}

/** A documentation-range address (RFC 5737) per allocation, so nothing real is ever named. */
export function newPublicIp(state: Ec2State): string {
  const taken = new Set([...state.addresses.values()].map((a) => a.publicIp));
  for (let n = state.addresses.size; ; n++) {
    const ip = `203.0.${113 + Math.floor(n / 250)}.${(n % 250) + 1}`;
    if (!taken.has(ip)) return ip;
  }
}

export function newPrivateIp(state: Ec2State): string {
  const n = state.enis.size;
  return `10.0.${Math.floor(n / 250)}.${(n % 250) + 4}`;
}

export function copyRule(rule: EmuRule): EmuRule {
  return { ...rule };
}

export function copyGroup(group: GroupRecord): EmuGroup {
  return {
    groupId: group.groupId,
    groupName: group.groupName,
    description: group.description,
    vpcId: group.vpcId,
    tags: { ...group.tags },
    ingress: group.ingress.map(copyRule),
    egress: group.egress.map(copyRule),
  };
}

export function copyEni(eni: EniRecord): EmuEni {
  return { eniId: eni.eniId, vpcId: eni.vpcId, ...(eni.instanceId ? { instanceId: eni.instanceId } : {}), groupIds: [...eni.groupIds] };
}

export function defaultVpc(state: Ec2State): VpcRecord | undefined {
  return [...state.vpcs.values()].find((v) => v.isDefault);
}

export function groupByName(state: Ec2State, vpcId: string, name: string): GroupRecord | undefined {
  return [...state.groups.values()].find((g) => g.vpcId === vpcId && g.groupName === name);
}

/** Any resource that carries tags, by id. */
export function taggable(state: Ec2State, id: string): { tags: Record<string, string> } | undefined {
  return state.groups.get(id) ?? state.vpcs.get(id) ?? state.enis.get(id) ?? state.instances.get(id) ?? state.addresses.get(id);
}

function canonical(value: unknown): unknown {
  if (value instanceof Map) return canonical(Object.fromEntries([...value.entries()]));
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function ruleOrder(a: EmuRule, b: EmuRule): number {
  const ka = JSON.stringify([a.protocol, a.fromPort, a.toPort, a.source]);
  const kb = JSON.stringify([b.protocol, b.fromPort, b.toPort, b.source]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Canonical JSON: keys sorted, rules sorted (EC2 holds them as a set), the id counter left out
 * (it is not observable), ENI group lists kept in order (EC2 reports them in order).
 */
export function snapshotOf(state: Ec2State): string {
  const groups = [...state.groups.values()].map((g) => ({ ...g, ingress: [...g.ingress].sort(ruleOrder), egress: [...g.egress].sort(ruleOrder) }));
  return JSON.stringify(
    canonical({
      vpcs: state.vpcs,
      groups: Object.fromEntries(groups.map((g) => [g.groupId, g])),
      enis: state.enis,
      instances: state.instances,
      addresses: state.addresses,
    }),
  );
}

/** What an ENI lets in: the union of the ingress of every group on it, as sorted `proto|from|to|source` keys. */
export function effectiveIngress(state: Ec2State, eniId: string): string[] {
  const keys = new Set<string>();
  for (const id of state.enis.get(eniId)?.groupIds ?? []) {
    for (const r of state.groups.get(id)?.ingress ?? []) keys.add(`${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`);
  }
  return [...keys].sort();
}

const keyOf = (r: EmuRule) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`;

/** The whole world (every group, every ENI) as plain data: recorded after every successful write. */
export function worldOf(state: Ec2State): EmuWorld {
  const groups: EmuWorld['groups'] = {};
  for (const g of state.groups.values()) {
    groups[g.groupId] = { groupName: g.groupName, vpcId: g.vpcId, tags: { ...g.tags }, ingress: g.ingress.map(keyOf).sort(), egress: g.egress.map(keyOf).sort() };
  }
  const enis: EmuWorld['enis'] = {};
  for (const e of state.enis.values()) enis[e.eniId] = { ...(e.instanceId ? { instanceId: e.instanceId } : {}), groupIds: [...e.groupIds] };
  return { groups, enis };
}
