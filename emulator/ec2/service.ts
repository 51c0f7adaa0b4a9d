import { randomUUID } from 'node:crypto';
import type { Limits } from './actions/context';
import { ACTIONS, isWrite } from './actions/registry';
import { apiError, Ec2ApiError } from './errors';
import { Faults } from './faults';
import { QueryParams } from './query';
import { cloneState, effectiveIngress, emptyState, worldOf, type Ec2State } from './state';
import type { EmuCall } from './types';
import { guardEnvNow, isRecording, record, type Ec2ResourceFacts } from '../recorder';
import { subnetOf } from './actions/describe-network';
import { errorDocument, resultDocument } from './xml';

export interface WireResponse {
  status: number;
  body: string;
  requestId: string;
  /** The write was applied but its answer is lost: the server resets the connection instead of answering. */
  reset?: boolean;
}

/**
 * One request in, one response out, no HTTP: fault injection, dispatch, the call log, and the
 * all-or-nothing rule (a write runs on a clone of the state and is committed only on success).
 */
export class Ec2Service {
  state: Ec2State = emptyState();
  readonly calls: EmuCall[] = [];
  readonly faults = new Faults();

  constructor(
    readonly limits: Limits,
    readonly region: string,
    readonly enabledOptInRegions: ReadonlySet<string> = new Set(),
  ) {}

  /** `signer`: the SigV4 scope the client signed with, kept in the call recorder. */
  handle(body: string, signer: { region?: string; accessKeyId?: string; appId?: string; endpoint?: string } = {}): WireResponse {
    const requestId = randomUUID();
    const params = QueryParams.parse(body);
    const action = params.get('Action') ?? '';
    const write = isWrite(action);
    const by = signer.appId ? { appId: signer.appId } : {};
    const facts = isRecording() ? resourceFacts(this.state, body) : undefined;
    const keep = (ok: boolean, errorCode?: string, created?: string[]) => {
      if (facts) record({ service: 'ec2', action, params: Object.fromEntries(new URLSearchParams(body)), ...signer, ok, errorCode, ec2: facts, created, guardEnv: guardEnvNow() });
    };
    try {
      const fault = this.faults.next(write);
      if (fault) throw fault;
      const result = this.dispatch(action, params, write, signer.region);
      const ingressAfter = write ? instanceIngress(this.state) : {};
      this.calls.push({ action, write, ok: true, ...by, ...(Object.keys(ingressAfter).length > 0 ? { ingressAfter } : {}), ...(write ? { worldAfter: worldOf(this.state) } : {}) });
      keep(true, undefined, action === 'CreateSecurityGroup' ? [/<groupId>([^<]+)<\/groupId>/.exec(result)?.[1] ?? ''] : undefined);
      return { status: 200, body: resultDocument(action, requestId, result), requestId, ...(write && this.faults.resetDue() ? { reset: true } : {}) };
    } catch (e) {
      const error = e instanceof Ec2ApiError ? e : new Ec2ApiError('InternalError', `emulator bug: ${e instanceof Error ? e.stack : String(e)}`);
      this.calls.push({ action, write, ok: false, errorCode: error.code, ...by });
      keep(false, error.code);
      return { status: error.status, body: errorDocument(error.code, error.message, requestId), requestId };
    }
  }

  private dispatch(action: string, params: QueryParams, write: boolean, signedRegion?: string): string {
    if (action === '') throw apiError('MissingAction', 'The request must contain the parameter Action');
    const handler = ACTIONS[action];
    if (!handler) throw apiError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const dryRun = params.get('DryRun') === 'true';
    const state = write || dryRun ? cloneState(this.state) : this.state;
    const result = handler({ state, params, limits: this.limits, region: this.region, signedRegion, enabledOptInRegions: this.enabledOptInRegions });
    if (dryRun) throw new Ec2ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    if (write) this.state = state;
    return result;
  }
}

/** Every instance-attached ENI's effective ingress: recorded with each successful write. */
function instanceIngress(state: Ec2State): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const eni of state.enis.values()) if (eni.instanceId) out[eni.eniId] = effectiveIngress(state, eni.eniId);
  return out;
}

/** The groups, interfaces and instances a request names, as they stand before it runs. */
function resourceFacts(state: Ec2State, body: string): Ec2ResourceFacts {
  const groups: Record<string, { vpcId: string; tags: Record<string, string> }> = {};
  const enis: Record<string, { vpcId: string; subnetId: string; instanceId?: string }> = {};
  const instances: Record<string, { vpcId: string }> = {};
  for (const value of new URLSearchParams(body).values()) {
    const group = state.groups.get(value);
    if (group) groups[value] = { vpcId: group.vpcId, tags: { ...group.tags } };
    const eni = state.enis.get(value);
    if (eni) enis[value] = { vpcId: eni.vpcId, subnetId: subnetOf(eni), ...(eni.instanceId ? { instanceId: eni.instanceId } : {}) };
    const instance = state.instances.get(value);
    if (instance) instances[value] = { vpcId: instance.vpcId };
  }
  for (const eni of Object.values(enis)) if (eni.instanceId && !instances[eni.instanceId]) instances[eni.instanceId] = { vpcId: eni.vpcId };
  return { groups, enis, instances };
}
