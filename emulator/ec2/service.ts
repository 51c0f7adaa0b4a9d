import { randomUUID } from 'node:crypto';
import type { Limits } from './actions/context';
import { ACTIONS, isWrite } from './actions/registry';
import { apiError, Ec2ApiError } from './errors';
import { Faults } from './faults';
import { QueryParams } from './query';
import { cloneState, effectiveIngress, emptyState, type Ec2State } from './state';
import type { EmuCall } from './types';
import { errorDocument, resultDocument } from './xml';

export interface WireResponse {
  status: number;
  body: string;
  requestId: string;
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
  ) {}

  handle(body: string): WireResponse {
    const requestId = randomUUID();
    const params = QueryParams.parse(body);
    const action = params.get('Action') ?? '';
    const write = isWrite(action);
    try {
      const fault = this.faults.next(write);
      if (fault) throw fault;
      const result = this.dispatch(action, params, write);
      const ingressAfter = write ? instanceIngress(this.state) : {};
      this.calls.push({ action, write, ok: true, ...(Object.keys(ingressAfter).length > 0 ? { ingressAfter } : {}) });
      return { status: 200, body: resultDocument(action, requestId, result), requestId };
    } catch (e) {
      const error = e instanceof Ec2ApiError ? e : new Ec2ApiError('InternalError', `emulator bug: ${e instanceof Error ? e.stack : String(e)}`);
      this.calls.push({ action, write, ok: false, errorCode: error.code });
      return { status: error.status, body: errorDocument(error.code, error.message, requestId), requestId };
    }
  }

  private dispatch(action: string, params: QueryParams, write: boolean): string {
    if (action === '') throw apiError('MissingAction', 'The request must contain the parameter Action');
    const handler = ACTIONS[action];
    if (!handler) throw apiError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const dryRun = params.get('DryRun') === 'true';
    const state = write || dryRun ? cloneState(this.state) : this.state;
    const result = handler({ state, params, limits: this.limits, region: this.region });
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
