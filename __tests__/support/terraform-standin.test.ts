import { decodeCty, encodeCty, unknown, Unknown } from './terraform-standin/cty-msgpack';
import { dataSourceState, importedState, plannedState } from './terraform-standin/planned-values';
import type { JsonBlock } from './terraform-standin/schema-messages';

const BLOCK: JsonBlock = {
  attributes: {
    id: { type: 'string', computed: true },
    name: { type: 'string', required: true },
    arn: { type: 'string', computed: true },
    tags_all: { type: ['map', 'string'], optional: true, computed: true },
    secret_wo: { type: 'string', optional: true, write_only: true },
  },
  block_types: {
    rule: { nesting_mode: 'set', block: { attributes: { port: { type: 'number', required: true }, rule_id: { type: 'string', computed: true } } } },
    timeouts: { nesting_mode: 'single', block: { attributes: { create: { type: 'string', optional: true } } } },
  },
};

describe('the terraform stand-in', () => {
  test('an unknown value is msgpack extension 0 (d4 00 00) and a refined unknown (extension 12) survives a decode and re-encode', () => {
    expect([...encodeCty(unknown())]).toEqual([0xd4, 0x00, 0x00]);
    const refined = Buffer.from([0xc7, 0x02, 0x0c, 0x81, 0x01]); // ext 12: an unknown with refinements
    const decoded = decodeCty(refined);
    expect(decoded).toBeInstanceOf(Unknown);
    // Re-encoded as the same extension with the same refinement bytes (msgpack may pick fixext2 over ext8).
    expect(decodeCty(encodeCty(decoded))).toEqual(new Unknown(12, Uint8Array.of(0x81, 0x01)));
  });

  test('a plan is the proposed state with null computed attributes unknown, set values kept, and write-only values null', () => {
    const proposed = { id: null, name: 'edge', arn: 'arn:kept', tags_all: null, secret_wo: 's3cret', rule: [{ port: 443, rule_id: null }], timeouts: null };
    const planned = plannedState(BLOCK, proposed) as Record<string, any>;
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.tags_all).toBeInstanceOf(Unknown);
    expect(planned.rule[0].rule_id).toBeInstanceOf(Unknown);
    expect({ ...planned, id: 'u', tags_all: 'u', rule: [{ ...planned.rule[0], rule_id: 'u' }] }).toEqual({
      id: 'u',
      name: 'edge',
      arn: 'arn:kept',
      tags_all: 'u',
      secret_wo: null,
      rule: [{ port: 443, rule_id: 'u' }],
      timeouts: null,
    });
    expect(plannedState(BLOCK, null)).toBeNull();
  });

  test('a data source read fills every null computed attribute with a known value of its type', () => {
    const read = dataSourceState(BLOCK, { id: null, name: 'edge', arn: null, tags_all: null, secret_wo: null, rule: [{ port: 80, rule_id: null }], timeouts: null });
    expect(read).toEqual({ id: 'standin-id', name: 'edge', arn: 'standin-arn', tags_all: {}, secret_wo: null, rule: [{ port: 80, rule_id: 'standin-rule_id' }], timeouts: null });
  });

  test('an import is an empty state holding the id: attributes null, set blocks empty, single blocks null', () => {
    expect(importedState(BLOCK, 'E2QWRUHEXAMPLE')).toEqual({ id: 'E2QWRUHEXAMPLE', name: null, arn: null, tags_all: null, secret_wo: null, rule: [], timeouts: null });
  });
});
