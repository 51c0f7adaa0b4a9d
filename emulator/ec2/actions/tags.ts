import { apiError, invalidValue, missingParameter } from '../errors';
import type { QueryParams } from '../query';
import { taggable, type Ec2State } from '../state';
import { el } from '../xml';
import type { ActionContext } from './context';

/** EC2's tag rules, shared by CreateTags/DeleteTags and every TagSpecifications parameter. */

export const MAX_TAGS_PER_RESOURCE = 50;

const NOT_FOUND_BY_PREFIX: ReadonlyArray<[string, string, string]> = [
  ['sg-', 'InvalidGroup.NotFound', 'security group'],
  ['vpc-', 'InvalidVpcID.NotFound', 'vpc ID'],
  ['eni-', 'InvalidNetworkInterfaceID.NotFound', 'networkInterface ID'],
  ['i-', 'InvalidInstanceID.NotFound', 'instance ID'],
  ['eipalloc-', 'InvalidAllocationID.NotFound', 'allocation ID'],
];

/** `Tag.N.Key` / `Tag.N.Value` -> a record, refusing what EC2 refuses. */
export function parseTags(params: QueryParams, listName: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of params.structs(listName)) {
    const key = t.get('Key');
    if (key === undefined || key === '') throw missingParameter('tag.key');
    const value = t.get('Value') ?? '';
    if (key.length > 128) throw invalidValue('tag.key', key, 'Tag keys must be at most 128 characters.');
    if (value.length > 256) throw invalidValue('tag.value', value, 'Tag values must be at most 256 characters.');
    if (key.toLowerCase().startsWith('aws:')) throw invalidValue('tag.key', key, "Tag keys starting with 'aws:' are reserved for internal use.");
    if (key in tags) throw invalidValue('tag.key', key, 'Duplicate tag key.');
    tags[key] = value;
  }
  return tags;
}

/** `TagSpecification.N` for one resource type: the union of their tags. */
export function parseTagSpecifications(params: QueryParams, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of params.structs('TagSpecification')) {
    const type = spec.get('ResourceType');
    if (type !== resourceType) {
      throw invalidValue('TagSpecification.ResourceType', type ?? 'null', `'${type ?? 'null'}' is not a valid taggable resource type for this operation; expecting '${resourceType}'.`);
    }
    Object.assign(tags, parseTags(spec, 'Tag'));
  }
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) throw apiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  return tags;
}

function requireTaggable(state: Ec2State, id: string): { tags: Record<string, string> } {
  const resource = taggable(state, id);
  if (resource) return resource;
  const known = NOT_FOUND_BY_PREFIX.find(([prefix]) => id.startsWith(prefix));
  if (known) throw apiError(known[1], `The ${known[2]} '${id}' does not exist`);
  throw apiError('InvalidID', `The ID '${id}' is not valid`);
}

function resourceIds(params: QueryParams): string[] {
  const ids = params.list('ResourceId');
  if (ids.length === 0) throw missingParameter('resourceIdSet');
  return ids;
}

export function createTags(ctx: ActionContext): string {
  const ids = resourceIds(ctx.params);
  const tags = parseTags(ctx.params, 'Tag');
  if (Object.keys(tags).length === 0) throw missingParameter('tagSet');
  for (const id of ids) {
    const resource = requireTaggable(ctx.state, id);
    Object.assign(resource.tags, tags);
    if (Object.keys(resource.tags).length > MAX_TAGS_PER_RESOURCE) throw apiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  }
  return el('return', true);
}

/** Without Tag.N every tag goes; a Tag with a Value removes the key only while it holds that value. */
export function deleteTags(ctx: ActionContext): string {
  const ids = resourceIds(ctx.params);
  const wanted = ctx.params.structs('Tag').map((t) => ({ key: t.get('Key') ?? '', value: t.get('Value') }));
  for (const id of ids) {
    const resource = requireTaggable(ctx.state, id);
    const keys = wanted.length === 0 ? Object.keys(resource.tags) : wanted.filter((w) => w.value === undefined || resource.tags[w.key] === w.value).map((w) => w.key);
    for (const key of keys) delete resource.tags[key];
  }
  return el('return', true);
}
