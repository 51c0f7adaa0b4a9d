/**
 * GIVEN ranges that need more groups than the interface allows
 * WHEN the planner refuses them (an error raised in the core, naming settings by id)
 * THEN the CLI prints the settings the way its user gave them: the flag, the variable or the file's key.
 */
import { originFlags, runCli, tempDir, writeConfig } from '../support/cli-harness';
import { closeWorldOpenOriginPort, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

describe("the core's setting ids are spelled at the CLI's edge", () => {
  let origin: Origin;
  let flags: string[];
  beforeEach(async () => {
    origin = await startOrigin();
    await closeWorldOpenOriginPort(origin);
    flags = [...originFlags(origin), '--ip-ranges', rangesPath(MANIFEST[0].file), '--services', 'CLOUDFRONT', '--ports', '80/tcp,443/tcp'];
  });
  afterEach(() => origin.close());

  test.each<[string, string[], Record<string, string>, boolean, RegExp]>([
    ['a flag', ['--groups-per-interface', '5'], {}, false, /above --groups-per-interface=5 at --rules-per-group=60; raise --groups-per-interface to \d+/],
    ['a CFGUARD_ variable', [], { CFGUARD_GROUPS_PER_INTERFACE: '5' }, false, /above CFGUARD_GROUPS_PER_INTERFACE=5 at --rules-per-group=60; raise CFGUARD_GROUPS_PER_INTERFACE to \d+/],
    ['the config file', [], {}, true, /above cfguard\.config\.json: guard\.groupsPerInterface=5 at --rules-per-group=60/],
  ])('given by %s', async (_how, extra, env, config, words) => {
    const cwd = tempDir();
    if (config) writeConfig(cwd, { name: 'spelled', region: 'eu-north-1', instanceId: origin.instanceId, ingest: { enabled: false }, guard: { groupsPerInterface: 5, ports: ['80/tcp', '443/tcp'] } });
    const run = await runCli(['reconcile', '--json', ...flags, ...extra], { env, cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error QUOTA_GROUPS_PER_INTERFACE: the ranges need \d+ security groups/m);
    expect(run.stderr).toMatch(words);
    expect(run.json()).toMatchObject({ error: { code: 'QUOTA_GROUPS_PER_INTERFACE', details: { setting: 'groupsPerInterface' } } });
    expect(run.json().error.message).toMatch(words);
    expect(writes(origin.emu)).toEqual([]);
  });
});
