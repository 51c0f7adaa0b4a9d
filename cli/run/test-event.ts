import { buildSnsEvent } from '../../lambda-src/function/events';
import { isGuardError } from '../../lambda-src/core/errors';
import { assertUrlAllowed } from '../../lambda-src/aws/ip-ranges-fetch';
import { OFFICIAL_IP_RANGES_URL } from '../../lambda-src/config/settings';
import type { TestEventArgs } from '../commands/test-event';
import { prepare } from '../context';
import { EXIT_OK } from '../exit-codes';
import type { CliIo } from '../output';
import { documentFacts, isUrl, loadRanges } from '../ranges-source';

/**
 * The SNS event for the current document, with its MD5 computed here: the tutorial had people
 * copy the hash out of an MD5-mismatch error instead. Text mode prints the event alone, ready for
 * `aws lambda invoke --payload`.
 */
export async function runTestEvent(argv: TestEventArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io, { regionRequired: false });
  const { out, settings } = ctx;
  const loaded = await loadRanges(argv.ipRanges, settings, out, io);
  const url = argv.url ?? (argv.ipRanges !== undefined && isUrl(argv.ipRanges) ? argv.ipRanges : OFFICIAL_IP_RANGES_URL);
  try {
    assertUrlAllowed(url, settings.ipRangesAllowedUrls);
  } catch (e) {
    if (!isGuardError(e)) throw e;
    out.warn(`the Lambda will refuse this event: ${e.message}`);
  }
  if (url === OFFICIAL_IP_RANGES_URL && argv.ipRanges !== undefined && argv.ipRanges !== url) {
    out.warn(`the event names ${url}; the Lambda fetches that and checks it against this MD5, so it only matches while the official document is the one you loaded`);
  }
  const doc = loaded.document;
  const event = buildSnsEvent({ topicArn: settings.snsTopicArn, url, md5: loaded.md5, syncToken: doc.syncToken, createTime: doc.createDate });
  if (out.json) out.document({ command: 'test-event', status: 'ok', exitCode: EXIT_OK, document: documentFacts(loaded), url, topicArn: settings.snsTopicArn, event });
  else out.document(event);
  return EXIT_OK;
}
