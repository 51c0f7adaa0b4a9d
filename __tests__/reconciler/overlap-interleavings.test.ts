/**
 * No published range is lost to an overlap, for every interleaving of two runs and a sample of
 * three. O is applied; A is older than B and publishes O without X; O2 is a token-only newer copy of
 * O (older than B); B is the newest and publishes O plus Y. Each run is what the handler and the CLI
 * both do (reconcileToNewest), with its own client; a run reads either its own URL (an SNS
 * notification, `cfguard reconcile --ip-ranges <url>`) or the one URL every run reads (the daily
 * scheduled run, the default URL), which serves the newest document once it is published.
 *
 * For a pair (P, Q) and every k and j: P runs until its k-th call is held, Q runs until j of its calls
 * have been answered, P runs to its end, then Q. After every write the test asserts the guarantee:
 * - a run never blocks a range of the newest document once it has read that document's mark (the
 *   newest tag or a rule the newest run wrote); the only block left is a blind write made after
 *   the run's last read, which EC2 cannot refuse (no compare-and-set), and
 * - when every run has ended, every range B publishes is reachable on the instance, nothing but
 *   B's ranges are (the overtaken runs put back only what B still publishes or withdraws next), and
 *   the groups bear B's mark.
 */
import { type Origin, closeWorldOpenOriginPort, customDocument, originFacingV4, startOrigin } from '../support/origin-fixture';
import { play, type RunEvent, type RunSpec, type Segment } from '../support/overlap-harness';
import { startRangesServer, type RangesServer } from '../../emulator/ranges-server';
import { MANIFEST } from '../../emulator/shared-data';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { newestMark } from '../../lambda-src/core/sync-token';
import { toManagedGroup } from '../../lambda-src/aws/ec2-state';

const BASE = MANIFEST[0].file;
const ALL = originFacingV4(BASE);
const O_RANGES = ALL.slice(0, 12);
const X = O_RANGES[3];
const Y = ALL[20];
const TOKENS = { O: '1783714000', A: '1783714100', O2: '1783714150', B: '1783714200' } as const;
const RANGES: Record<keyof typeof TOKENS, string[]> = { O: O_RANGES, A: O_RANGES.filter((c) => c !== X), O2: O_RANGES, B: [...O_RANGES, Y] };
const key = (cidr: string) => `tcp|80|80|${cidr}`;
const NEWEST = new Set(RANGES.B.map(key));

let server: RangesServer;
beforeAll(async () => {
  server = await startRangesServer();
});
afterAll(async () => server.close());

type Doc = keyof typeof TOKENS;
const body = (doc: Doc) => customDocument(BASE, TOKENS[doc], RANGES[doc]);

const OWN_URL: Record<string, string> = { P: 'custom-2.json', Q: 'custom-3.json', R: 'custom-4.json' };

/** A run of `doc` reading its own URL, or the URL every run shares. */
function spec(name: string, doc: Doc, shared: boolean): RunSpec {
  return { name, url: server.url(shared ? 'custom-1.json' : OWN_URL[name]), body: body(doc) };
}

async function freshOrigin(): Promise<Origin> {
  const o = await startOrigin({}, server);
  await closeWorldOpenOriginPort(o);
  const settings = settingsFromEnv(o.env());
  const ec2 = new Ec2SecurityGroupManager(o.emu.client('setup'));
  await reconcile({ ec2, settings, desired: desiredStateFor(parseIpRangesDocument(Buffer.from(body('O'))), settings), apply: true });
  o.emu.resetCalls();
  return o;
}

/** Ranges of the newest document blocked by a write whose run had last read B's mark. */
function knowingBlocks(o: Origin, log: readonly RunEvent[], before: readonly string[]) {
  const found: { run: string; write: string; blocked: string[] }[] = [];
  let prev = new Set(before);
  for (const [i, call] of o.emu.calls.entries()) {
    if (!call.write || !call.ok) continue;
    const now = new Set(call.ingressAfter?.[o.eniId] ?? []);
    const blocked = [...prev].filter((k) => NEWEST.has(k) && !now.has(k));
    prev = now;
    if (blocked.length === 0) continue;
    const at = log.findIndex((e) => e.kind === 'write' && e.callIndex === i);
    const run = log[at].run;
    const lastRead = [...log.slice(0, at)].reverse().find((e) => e.run === run && e.kind === 'read');
    // Only a run that had read B's mark counts: a blind write (after a last read without it) is what EC2 cannot refuse.
    if (lastRead?.kind === 'read' && lastRead.mark === TOKENS.B) found.push({ run, write: call.action, blocked });
  }
  return found;
}

interface Pair {
  readonly name: string;
  readonly P: Doc;
  readonly Q: Doc;
  readonly shared: boolean;
}

const PAIRS: Pair[] = [
  { name: 'older A and newest B, each its own URL', P: 'A', Q: 'B', shared: false },
  { name: 'older A and newest B at one URL', P: 'A', Q: 'B', shared: true },
  { name: 'newest B and older A, each its own URL', P: 'B', Q: 'A', shared: false },
  { name: 'newest B and older A at one URL', P: 'B', Q: 'A', shared: true },
  { name: 'token-only copy O2 and newest B, each its own URL', P: 'O2', Q: 'B', shared: false },
  { name: 'newest B and token-only copy O2, each its own URL', P: 'B', Q: 'O2', shared: false },
];

/** How many calls a run makes alone from O: the pause points to enumerate. */
async function callsAlone(doc: Doc): Promise<number> {
  const o = await freshOrigin();
  try {
    const { log } = await play(o, [spec('P', doc, false)], settingsFromEnv(o.env()), [{ run: 'P', calls: Infinity }]);
    expect(log.length).toBeGreaterThan(0);
    return o.emu.calls.length;
  } finally {
    await o.close();
  }
}

async function check(specs: RunSpec[], schedule: Segment[]) {
  const o = await freshOrigin();
  try {
    const before = o.emu.effectiveIngress(o.eniId);
    const { outcomes, log } = await play(o, specs, settingsFromEnv(o.env()), schedule);
    for (const [name, out] of Object.entries(outcomes)) expect({ name, error: out.error }).toEqual({ name, error: undefined });
    const reachable = o.emu.effectiveIngress(o.eniId).filter((k) => k.startsWith('tcp|80|80|'));
    const marks = newestMark(
      o.emu
        .groups()
        .filter((g) => g.tags.PREFIX_NAME === 'AUTOUPDATE_CF')
        .map((g) => toManagedGroup({ ...g, egress: [] })),
    );
    return { reachable: reachable.sort(), marks, knowing: knowingBlocks(o, log, before) };
  } finally {
    await o.close();
  }
}

// One case plays every schedule of its pair (dozens of full runs against a fresh emulator): about 10 s
// alone, but over jest's 60 s default on a loaded two-core machine. Not a speed target (see npm run bench).
jest.setTimeout(600_000);

describe('every interleaving of two runs', () => {
  const counts: Partial<Record<Doc, number>> = {};
  beforeAll(async () => {
    for (const doc of ['A', 'B', 'O2'] as Doc[]) counts[doc] = await callsAlone(doc);
  });

  test.each(PAIRS)('$name: every range of the newest document is reachable in the end, and none is blocked knowingly', async (pair) => {
    const specs = [spec('P', pair.P, pair.shared), spec('Q', pair.Q, pair.shared)];
    let played = 0;
    for (let k = 1; k <= counts[pair.P]!; k++) {
      for (let j = 1; j <= counts[pair.Q]! + 1; j++) {
        const schedule: Segment[] = [
          { run: 'P', calls: k - 1 },
          { run: 'Q', calls: j },
          { run: 'P', calls: Infinity },
          { run: 'Q', calls: Infinity },
        ];
        const r = await check(specs, schedule);
        expect({ k, j, reachable: r.reachable, knowing: r.knowing, mark: r.marks }).toEqual({ k, j, reachable: [...NEWEST].sort(), knowing: [], mark: TOKENS.B });
        played++;
      }
    }
    // Every pause point was tried: the schedules are as many as the two runs' calls allow.
    expect(played).toBe(counts[pair.P]! * (counts[pair.Q]! + 1));
  });
});

describe('a sample of three runs', () => {
  const ORDERS: Doc[][] = [
    ['A', 'O2', 'B'],
    ['O2', 'A', 'B'],
    ['B', 'A', 'O2'],
    ['A', 'B', 'O2'],
  ];
  test.each(ORDERS.flatMap((order) => [false, true].map((shared) => ({ order, shared }))))('$order (one URL: $shared)', async ({ order, shared }) => {
    const names = ['P', 'Q', 'R'];
    const specs = order.map((doc, i) => spec(names[i], doc, shared));
    for (const [k, j, m] of [
      [1, 1, 1],
      [2, 3, 2],
      [3, 5, 4],
      [4, 2, 6],
      [5, 6, 3],
    ]) {
      const schedule: Segment[] = [
        { run: 'P', calls: k },
        { run: 'Q', calls: j },
        { run: 'R', calls: m },
        { run: 'P', calls: Infinity },
        { run: 'Q', calls: Infinity },
        { run: 'R', calls: Infinity },
      ];
      const r = await check(specs, schedule);
      expect({ k, j, m, reachable: r.reachable, knowing: r.knowing, mark: r.marks }).toEqual({ k, j, m, reachable: [...NEWEST].sort(), knowing: [], mark: TOKENS.B });
    }
  });
});
