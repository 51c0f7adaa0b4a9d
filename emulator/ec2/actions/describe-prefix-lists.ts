import { createHash } from 'node:crypto';
import { CLOUDFRONT_PREFIX_LISTS } from '../../../lambda-src/core/exposure';
import { applyFilters, pageOf, parseFilters, readPaging, requireKnown, type FilterSpec } from '../describe-support';
import { el, items } from '../xml';
import { requireWellFormed, type ActionContext } from './context';

/**
 * DescribeManagedPrefixLists over the lists AWS owns in every region: CloudFront's origin-facing
 * lists (IPv4 and IPv6, weight 55, global names) and the S3 and DynamoDB gateway lists. As in EC2,
 * a list's id differs per region while its name does not, so callers must look a list up by name.
 */

interface AwsManagedList {
  readonly name: string;
  readonly addressFamily: 'IPv4' | 'IPv6';
  readonly maxEntries: number;
}

export function awsManagedLists(region: string): readonly AwsManagedList[] {
  return [
    { name: CLOUDFRONT_PREFIX_LISTS.ipv4, addressFamily: 'IPv4', maxEntries: 55 },
    { name: CLOUDFRONT_PREFIX_LISTS.ipv6, addressFamily: 'IPv6', maxEntries: 55 },
    { name: `com.amazonaws.${region}.s3`, addressFamily: 'IPv4', maxEntries: 10 },
    { name: `com.amazonaws.${region}.dynamodb`, addressFamily: 'IPv4', maxEntries: 10 },
  ];
}

/** The id of an AWS-managed list in a region (`pl-` + 8 hex, like EC2's), stable per (region, name). */
export function awsManagedPrefixListId(region: string, name: string): string {
  return `pl-${createHash('sha1').update(`${region}:${name}`).digest('hex').slice(0, 8)}`;
}

interface ListRecord extends AwsManagedList {
  readonly id: string;
}

const FILTERS: FilterSpec<ListRecord> = {
  'prefix-list-id': (l) => [l.id],
  'prefix-list-name': (l) => [l.name],
  'owner-id': () => ['AWS'],
};

export function describeManagedPrefixLists(ctx: ActionContext): string {
  const { params } = ctx;
  const region = ctx.signedRegion ?? ctx.region;
  const paging = readPaging('DescribeManagedPrefixLists', params, undefined, ctx.limits.pageSize, { min: 1, max: 100 });
  const lists = awsManagedLists(region).map((l): ListRecord => ({ ...l, id: awsManagedPrefixListId(region, l.name) }));
  const ids = params.list('PrefixListId');
  ids.forEach((id) => requireWellFormed(id, 'pl', 'InvalidPrefixListId.Malformed'));
  requireKnown(ids, (id) => lists.some((l) => l.id === id), 'InvalidPrefixListID.NotFound', 'prefix list ID');
  const filters = parseFilters(params, FILTERS, false);
  const matching = applyFilters(
    lists.filter((l) => ids.length === 0 || ids.includes(l.id)),
    filters,
    FILTERS,
  );
  const page = pageOf(matching, paging);
  return (
    items(
      'prefixListSet',
      page.items.map(
        (l) =>
          el('prefixListId', l.id) +
          el('addressFamily', l.addressFamily) +
          el('state', 'create-complete') +
          el('prefixListArn', `arn:aws:ec2:${region}:aws:prefix-list/${l.id}`) +
          el('prefixListName', l.name) +
          el('maxEntries', l.maxEntries) +
          el('version', 1) +
          el('ownerId', 'AWS'),
      ),
    ) + el('nextToken', page.nextToken)
  );
}
