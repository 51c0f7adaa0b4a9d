import path from 'path';
import { fetchIpRanges, readIpRangesFile } from '../lambda-src/aws/ip-ranges-fetch';
import { GuardError, isGuardError } from '../lambda-src/core/errors';
import { desiredStateFor, type SelectionSettings } from '../lambda-src/core/ip-ranges';
import type { LoadedDocument } from '../lambda-src/core/ip-ranges-document';
import type { DesiredState } from '../lambda-src/core/model';
import { OFFICIAL_IP_RANGES_URL, type GuardSettings } from '../lambda-src/config/settings';
import type { CliIo, Output } from './output';

/** `--ip-ranges URL|FILE`: anything starting with http(s):// is fetched, anything else is a local file. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Loads the document the way the Lambda does (MD5 of the exact bytes, the same shape checks). A URL
 * the operator typed is trusted as given; the allow-list exists to stop a forged notification from
 * steering the Lambda, and there is no notification here.
 */
export async function loadRanges(source: string | undefined, settings: Pick<GuardSettings, 'ipRangesAllowedUrls'>, out: Output, io: Pick<CliIo, 'cwd'>): Promise<LoadedDocument> {
  const where = source === undefined || source === '' ? OFFICIAL_IP_RANGES_URL : source;
  let loaded: LoadedDocument;
  if (isUrl(where)) {
    out.progress(`fetching ${where}`);
    loaded = await fetchIpRanges(where, { allowedUrls: [where, ...settings.ipRangesAllowedUrls] }).catch((e: unknown) => {
      throw isGuardError(e) && e.code === 'FETCH_FAILED' ? inCliWords(e) : e;
    });
  } else {
    loaded = await readIpRangesFile(path.resolve(io.cwd, where));
  }
  out.progress(`ip-ranges syncToken ${loaded.document.syncToken} (${loaded.document.createDate}), ${loaded.bytes} bytes, md5 ${loaded.md5}`);
  return loaded;
}

/** The fetch's failure without the Lambda's "the next notification will retry": here the operator retries, or uses a file. */
function inCliWords(e: GuardError): GuardError {
  const what = e.message.split('; nothing was applied')[0];
  const hinted = new GuardError(e.code, `${what}; check the network (proxy, firewall) and run again, or download the document and pass --ip-ranges FILE`, e.kind, e.details);
  hinted.stack = e.stack;
  return hinted;
}

/** The facts about the document every command's JSON carries. */
export function documentFacts(loaded: LoadedDocument): { source: string; syncToken: string; createDate: string; md5: string; bytes: number } {
  return { source: loaded.source, syncToken: loaded.document.syncToken, createDate: loaded.document.createDate, md5: loaded.md5, bytes: loaded.bytes };
}

/** `--ip-ranges` loaded, and the rules it asks for under the settings: what reconcile, status and drift compare against. */
export async function loadDesired(
  source: string | undefined,
  settings: Pick<GuardSettings, 'ipRangesAllowedUrls'> & SelectionSettings,
  out: Output,
  io: Pick<CliIo, 'cwd'>,
): Promise<{ loaded: LoadedDocument; desired: DesiredState }> {
  const loaded = await loadRanges(source, settings, out, io);
  return { loaded, desired: desiredStateFor(loaded.document, settings) };
}
