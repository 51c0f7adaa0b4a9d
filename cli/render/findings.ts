import type { ExposedRule } from '../../lambda-src/core/exposure';
import type { Finding } from '../../lambda-src/core/findings';
import { findingText } from '../../lambda-src/function/finding-text';
import { settingLabel } from '../spelling';

/** A finding as the CLI prints it: the shared sentence, with settings spelled as this command's user spells them. */
export function findingLine(f: Finding): string {
  return findingText(f, settingLabel);
}

/** How to close one exposure: the guard revokes it from its own groups; elsewhere it is the operator's, on that group. */
export function exposureFix(e: ExposedRule): string {
  if (e.managed) return "the guard's own group: 'cfguard reconcile --apply' revokes it";
  return e.kind === 'world-open'
    ? `fix it on ${e.groupId} (for the instance's own group: cfguard open-ingest --close-public ${e.rule.split('/')[0]} --apply)`
    : `fix it on ${e.groupId}: revoke the rule, or admit CloudFront only`;
}
