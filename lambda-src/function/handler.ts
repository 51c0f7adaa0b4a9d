/**
 * The Lambda entry point: SNS `AmazonIpSpaceChanged` notification, daily schedule, direct run or
 * Terraform lifecycle event -> fetch and verify the document -> reconcile (or tear down on delete)
 * -> one JSON log line. A failure is logged as one line too and rethrown, so Lambda records the
 * invocation as failed (retries, then the on-failure destination).
 */
import { securityGroupManagerFor } from '../aws/ec2-security-group-manager';
import { type GuardEvent, parseGuardEvent } from './events';
import { desiredStateFor } from '../core/ip-ranges';
import { fetchIpRanges } from '../aws/ip-ranges-fetch';
import { reconcileToNewest } from '../aws/reconcile';
import { formatRule } from '../core/rules';
import { DEFAULT_PREFIX_NAME, OFFICIAL_IP_RANGES_URL, settingsFromEnv } from '../config/settings';
import { teardown } from '../aws/teardown-run';
import { auditInstanceExposure, auditQueryFor } from '../aws/exposure-audit';
import { failureLine, reconcileLine, teardownLine, type RunFields, type RunLine, type Trigger } from './run-line';
import { runOriginChecks } from './origin-checks';
import { guardedInstancesFromEnv } from '../config/guarded-instances';
import type { Finding } from '../core/findings';

function source(ev: GuardEvent): { url: string; md5?: string; syncToken?: string; force: boolean; trigger: Trigger } {
  switch (ev.kind) {
    case 'sns':
      return { url: ev.notification.url, md5: ev.notification.md5, syncToken: ev.notification.syncToken, force: false, trigger: 'sns' };
    case 'direct':
      return { url: ev.url ?? OFFICIAL_IP_RANGES_URL, md5: ev.md5, force: ev.force, trigger: 'direct' };
    case 'scheduled':
      return { url: OFFICIAL_IP_RANGES_URL, force: false, trigger: 'scheduled' };
    case 'lifecycle':
      return { ...source(ev.inner), trigger: 'lifecycle' };
  }
}

/** The exposure audit costs two reads: every run but an SNS notification pays it, so SNS no-op runs stay at two reads. */
function auditDue(ev: GuardEvent): boolean {
  return ev.kind === 'scheduled' || ev.kind === 'direct' || (ev.kind === 'lifecycle' && ev.inner.kind !== 'sns');
}

function emit(line: object): void {
  // stdout directly: Lambda's console.log prefix would stop CloudWatch reading the line as JSON (and EMF).
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export async function handler(event: unknown): Promise<RunLine> {
  const started = Date.now();
  let trigger: Trigger | undefined;
  let msg: RunFields['msg'] = 'reconcile';
  const prefix = process.env.PREFIX_NAME || DEFAULT_PREFIX_NAME;
  try {
    const env = settingsFromEnv(process.env);
    // Every origin instance the stack deploys (GUARDED_INSTANCE_IDS), primary first; INSTANCE_ID alone without a secondary origin.
    const settings = { ...env, ...guardedInstancesFromEnv(process.env, env.instanceId) };
    const ev = parseGuardEvent(event, settings.snsTopicArn);
    const src = source(ev);
    trigger = src.trigger;
    const ec2 = securityGroupManagerFor(settings.region);
    let line: RunLine;
    if (ev.kind === 'lifecycle' && ev.action === 'delete') {
      msg = 'teardown';
      line = teardownLine(await teardown({ ec2, settings, apply: true }), trigger, settings.prefixName);
    } else {
      const loaded = await fetchIpRanges(src.url, { allowedUrls: settings.ipRangesAllowedUrls, expectedMd5: src.md5, expectedSyncToken: src.syncToken });
      const refetch = async () => desiredStateFor((await fetchIpRanges(src.url, { allowedUrls: settings.ipRangesAllowedUrls })).document, settings);
      const { result, desired } = await reconcileToNewest({ ec2, settings, desired: desiredStateFor(loaded.document, settings), apply: true, force: src.force }, refetch);
      if (settings.debug) emit({ level: 'debug', msg: 'plan', steps: result.plan.steps.map((s) => ('rules' in s ? { ...s, rules: s.rules.map(formatRule) } : s)), held: result.plan.held });
      const refusedGroupIds = result.refusedGroups.map((g) => g.groupId);
      const query = auditDue(ev) ? auditQueryFor(settings, result.vpcId, desired, refusedGroupIds) : undefined;
      const exposure = query ? await auditInstanceExposure(ec2, query) : undefined;
      const rotated: Finding[] = loaded.rotatedFrom ? [{ code: 'DOCUMENT_ROTATED', subject: loaded.document.syncToken, details: { notified: loaded.rotatedFrom } }] : [];
      line = reconcileLine({ ...result, warnings: [...rotated, ...result.warnings] }, src.trigger, settings.prefixName, exposure);
    }
    emit(line);
    // Try the door after every run but a teardown; the deploy's runs fail on an open bypass in 'required' mode.
    if (msg !== 'teardown') {
      const checks = await runOriginChecks(process.env, settings.prefixName, trigger === 'direct' || trigger === 'lifecycle');
      if (checks) emit(checks);
    }
    return line;
  } catch (e) {
    emit(failureLine(e, trigger, msg, prefix, Date.now() - started));
    throw e;
  }
}
