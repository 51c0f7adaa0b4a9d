import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ApiCalls } from './security-group-manager';

const counters = new WeakMap<EC2Client, () => ApiCalls>();

/** Counts the client's calls at the initialize step, so a throttled call that the SDK retried counts once; returns the counts so far. */
export function countCalls(ec2: EC2Client): () => ApiCalls {
  const existing = counters.get(ec2);
  if (existing) return existing;
  const byAction: Record<string, number> = {};
  ec2.middlewareStack.add(
    (next, context) => async (args) => {
      const action = String((context as { commandName?: string }).commandName ?? 'Unknown').replace(/Command$/, '');
      byAction[action] = (byAction[action] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'cfguardCallCounter' },
  );
  const snapshot = (): ApiCalls => {
    let reads = 0;
    let writes = 0;
    for (const [action, n] of Object.entries(byAction)) {
      if (action.startsWith('Describe')) reads += n;
      else writes += n;
    }
    return { reads, writes, byAction: { ...byAction } };
  };
  counters.set(ec2, snapshot);
  return snapshot;
}
