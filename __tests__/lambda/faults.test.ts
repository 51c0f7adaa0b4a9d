/**
 * Fail the k-th write, for every k: the failed run leaves nothing outside the managed groups
 * changed and no published range blocked, and running again converges.
 */
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, customDocument, managedRuleKeys, originFacingV4, reachableRuleKeys, realEvent, snsEvent, startOrigin, writes } from '../support/origin-fixture';
import { startRangesServer, type RangesServer } from '../../emulator/ranges-server';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const fresh = (n: number) => Array.from({ length: n }, (_, i) => `203.${i >> 8}.${i & 255}.0/24`);

interface Scenario {
  readonly name: string;
  readonly before: (o: Origin) => object[];
  readonly target: (o: Origin) => { event: object; ranges: string[] };
}

function custom(o: Origin, name: string, token: string, ranges: string[]) {
  const body = customDocument(BASE, token, ranges);
  o.server.serve(name, body);
  return { event: snsEvent(o.server.url(name), body, token), ranges };
}

const SCENARIOS: Scenario[] = [
  { name: 'from empty to the first real version', before: () => [], target: (o) => ({ event: realEvent(o.server, BASE), ranges: originFacingV4(BASE) }) },
  {
    name: 'growth into two new groups',
    before: (o) => [realEvent(o.server, BASE)],
    target: (o) => custom(o, 'custom-1.json', '1783714100', [...originFacingV4(BASE), ...fresh(80)]),
  },
  {
    name: 'a wholesale change with revocations across groups',
    before: (o) => [realEvent(o.server, BASE), custom(o, 'custom-1.json', '1783714100', [...originFacingV4(BASE), ...fresh(80)]).event],
    target: (o) => custom(o, 'custom-2.json', '1783714200', [...originFacingV4(BASE).slice(20), ...fresh(100).slice(50)]),
  },
];

describe('a failure at every write converges on the next run', () => {
  let server: RangesServer;
  beforeAll(async () => {
    server = await startRangesServer();
  });
  afterAll(async () => server.close());

  describe.each(SCENARIOS)('$name', (scenario) => {
    async function prepared() {
      const o = await startOrigin({}, server);
      const env = o.env({ MAX_REVOKE_FRACTION: '1' });
      for (const ev of scenario.before(o)) expect((await invoke(handler, ev, env)).error).toBeUndefined();
      return { o, env };
    }

    test('for every k, failing write k then running again converges', async () => {
      const probe = await prepared();
      const target = scenario.target(probe.o);
      probe.o.emu.resetCalls();
      expect((await invoke(handler, target.event, probe.env)).error).toBeUndefined();
      const total = writes(probe.o.emu).length;
      await probe.o.close();
      expect(total).toBeGreaterThan(0);

      for (let k = 1; k <= total; k++) {
        const { o, env } = await prepared();
        const { event, ranges } = scenario.target(o);
        const ownBefore = o.emu.group(o.ownGroupId);
        const continuing = [...reachableRuleKeys(o)].filter((key) => ranges.some((c) => key.endsWith(`|${c}`)));
        o.emu.failWrite(k, 'UnauthorizedOperation'); // a 4xx: the SDK does not retry it, so the run really stops at write k
        const failed = await invoke(handler, event, env);
        expect(failed.error).toBeDefined();
        expect(failed.lines[0]).toMatchObject({ level: 'error', outcome: 'failed' });
        // nothing outside the managed groups changed, and nothing still published was blocked
        expect(o.emu.group(o.ownGroupId)).toEqual(ownBefore);
        expect(o.emu.eni(o.eniId)!.groupIds[0]).toBe(o.ownGroupId);
        const now = reachableRuleKeys(o);
        for (const key of continuing) expect(now.has(key)).toBe(true);

        o.emu.clearFaults();
        const rerun = await invoke(handler, event, env);
        expect(rerun.error).toBeUndefined();
        expect(managedRuleKeys(o.emu)).toEqual(ranges.map((c) => `tcp|80|80|${c}`).sort());
        for (const c of ranges) expect(reachableRuleKeys(o).has(`tcp|80|80|${c}`)).toBe(true);
        o.emu.resetCalls();
        const third = await invoke(handler, event, env);
        expect(third.result).toMatchObject({ outcome: 'in-sync' });
        expect(writes(o.emu)).toEqual([]);
        await o.emu.close();
      }
    });
  });

  test('throttling and a server error are survived by the SDK standard retries', async () => {
    const o = await startOrigin({}, server);
    o.emu.throttle(2);
    const run = await invoke(handler, realEvent(o.server, BASE), o.env());
    expect(run.error).toBeUndefined();
    expect(o.emu.calls.filter((c) => c.errorCode === 'RequestLimitExceeded')).toHaveLength(2);
    o.emu.serverError(1);
    const again = await invoke(handler, realEvent(o.server, MANIFEST[1].file), o.env());
    expect(again.error).toBeUndefined();
    expect(managedRuleKeys(o.emu)).toHaveLength(MANIFEST[1].CLOUDFRONT_ORIGIN_FACING.v4);
    await o.emu.close();
  });
});
