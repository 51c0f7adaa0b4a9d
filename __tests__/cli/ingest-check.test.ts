/**
 * cli/ingest/check: which ingest rules drift and status hold the own groups to, and where they look,
 * from the instance view alone (an EC2 that fails every call proves no read is made).
 */
import { ingestInputs, ingestRulesToCheck } from '../../cli/ingest/check';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import type { Rule } from '../../lambda-src/core/model';
import { eni, INSTANCE, OWN_GROUP, PREFIX, tcp } from '../support/builders';

const udp = (port: number): Rule => ({ protocol: 'udp', fromPort: port, toPort: port, source: '0.0.0.0/0' });
const SETTING = [udp(1935), { ...udp(1945), protocol: 'tcp' }];
const config = (ingest: object) => parseAppConfig({ name: 'streaming-origin', region: 'eu-north-1', instanceId: INSTANCE, ingest });
const noCalls = new Proxy({} as Ec2Shell, {
  get: (_t, name) => () => {
    throw new Error(`unexpected EC2 call ${String(name)}`);
  },
});

describe('ingestRulesToCheck', () => {
  test.each<[string, Parameters<typeof ingestRulesToCheck>[0], ReturnType<typeof config> | undefined, string[] | undefined]>([
    ['no config, no flag: nobody said which ingest is wanted', {}, undefined, undefined],
    ['a config (ingest enabled by default): the setting', {}, config({}), ['udp 1935', 'tcp 1945']],
    ['a config with ingest disabled', {}, config({ enabled: false }), undefined],
    ['--ingest-rules, no config: the setting', { ingestRules: '1935/udp,1945/tcp' }, undefined, ['udp 1935', 'tcp 1945']],
    ["drift's --ingest-ports: those ports", { ingestPorts: '8000/tcp' }, config({}), ['tcp 8000']],
  ])('%s', (_name, argv, cfg, expected) => {
    const rules = ingestRulesToCheck(argv, cfg, { ingestRules: SETTING });
    expect(rules?.map((r) => `${r.protocol} ${r.fromPort}`)).toEqual(expected);
  });

  test("an empty setting (--ingest-rules '') expects no ingest: no check", () => {
    expect(ingestRulesToCheck({ ingestRules: '' }, config({}), { ingestRules: [] })).toBeUndefined();
  });
});

describe('ingestInputs: from the instance view, no EC2 call', () => {
  const MANAGED = 'sg-00000000000000001';
  const OTHER = 'sg-0ther000000000000b';
  const NAMED = 'sg-0000000000000000c';
  const SECOND = 'i-0000000000000000b';
  const view = {
    enis: [eni(1, [OWN_GROUP, MANAGED, NAMED]), eni(2, [OTHER, MANAGED], SECOND)],
    groups: [
      { groupId: OWN_GROUP, groupName: 'media-server', ingress: [udp(1935), tcp(22, '0.0.0.0/0')] },
      { groupId: MANAGED, groupName: 'anything', ingress: [udp(1945)] },
      { groupId: NAMED, groupName: `${PREFIX}-9`, ingress: [udp(1945)] },
      { groupId: OTHER, groupName: 'media-server-b', ingress: [] },
    ],
    tagged: new Set([`${MANAGED}|${PREFIX}`]),
  };

  test('GIVEN no configured own group THEN every group on that instance that is not the guard’s (tag or name) is searched', async () => {
    const [primary, secondary] = await ingestInputs(noCalls, view, { prefixName: PREFIX }, [INSTANCE, SECOND], [udp(1945)]);
    expect(primary).toEqual({ groupIds: [OWN_GROUP], present: view.groups[0].ingress, expected: [udp(1945)], instanceId: INSTANCE, role: 'primary' });
    expect(secondary).toMatchObject({ groupIds: [OTHER], present: [], instanceId: SECOND, role: 'secondary' });
  });

  test('GIVEN configured own groups on the interfaces THEN exactly those, primary then GUARDED_OWN_GROUP_IDS; one instance carries no instanceId', async () => {
    const both = await ingestInputs(noCalls, view, { prefixName: PREFIX, instanceSecurityGroupId: OWN_GROUP, guardedOwnGroupIds: [OTHER] }, [INSTANCE, SECOND], []);
    expect(both.map((i) => i.groupIds)).toEqual([[OWN_GROUP], [OTHER]]);
    const one = await ingestInputs(noCalls, view, { prefixName: PREFIX, instanceSecurityGroupId: OWN_GROUP }, [INSTANCE], []);
    expect(one).toEqual([{ groupIds: [OWN_GROUP], present: view.groups[0].ingress, expected: [] }]);
  });
});
