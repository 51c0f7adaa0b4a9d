import { readFileSync } from 'fs';
import path from 'path';
import { guardSettingsFromConfig, parseAppConfig } from '../../lambda-src/config/app-config';
import type { GuardSettingsProps } from '../../lambda-src/config/settings-props';
import { ENV_NAMES, resolveGuardSettings, SETTING_NAMES, SETTINGS, settingsFromEnv, settingsToEnv, type GuardSettingName } from '../../lambda-src/config/settings';
import { DEFAULT_INGEST_RULES, ingestRulesSetting } from '../../lambda-src/config/ingest-rule-ids';
import { planReconcile } from '../../lambda-src/core/plan';
import { describeAwsError } from '../../lambda-src/aws/aws-errors';
import { GuardError, isGuardError, LAMBDA_SPELLING, respelled, type SettingSpelling } from '../../lambda-src/core/errors';
import { settingOptions } from '../../cli/options';
import { actual, desired, range, settings, tcp, v4 } from '../support/builders';

const BASE_CONFIG = { name: 'streaming-origin', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' };

function errorOf(run: () => unknown): GuardError {
  try {
    run();
  } catch (e) {
    if (isGuardError(e)) return e;
    throw e;
  }
  throw new Error('expected a GuardError');
}

describe('the settings table is the one declaration of every setting', () => {
  test('the Lambda variables, the CLI flags and the environment rendering all come from its rows', () => {
    expect(Object.keys(ENV_NAMES)).toEqual(SETTING_NAMES);
    for (const name of SETTING_NAMES) expect(ENV_NAMES[name]).toBe(SETTINGS[name].env);
    const flags = Object.keys(settingOptions());
    expect(flags).toEqual(SETTING_NAMES.filter((n) => n !== 'debug').map((n) => SETTINGS[n].flag));
    expect(settingOptions().services).toMatchObject({ alias: ['service'] });
    expect(settingOptions().ipv6).toMatchObject({ type: 'boolean' });
    const env = settingsToEnv(settingsFromEnv({}));
    expect(Object.keys(env).every((k) => Object.values(ENV_NAMES).includes(k))).toBe(true);
  });

  test('every default is the one a front end that sets nothing resolves to', () => {
    const resolved = settingsFromEnv({});
    for (const name of SETTING_NAMES) expect(resolved[name]).toEqual(SETTINGS[name].default);
    const fromConfig = parseAppConfig(BASE_CONFIG).guard;
    expect(fromConfig).toMatchObject({ timeoutSeconds: 120, memorySizeMb: 256, logRetentionDays: 30, schedule: true, mode: 'lambda' });
  });

  test("the typed props' JSDoc states each row's default", () => {
    const source = readFileSync(path.join(__dirname, '..', '..', 'lambda-src', 'config', 'settings-props.ts'), 'utf8');
    const documented = new Map([...source.matchAll(/\/\*\* (.*) @default (.*) \*\/\n\s+readonly (\w+)\?:/g)].map((m) => [m[3], m[2]]));
    const optional = SETTING_NAMES.filter((n) => n !== 'region' && n !== 'instanceId');
    expect([...documented.keys()].sort()).toEqual([...optional].sort());
    for (const name of optional) expect(`${name}: ${documented.get(name)}`).toBe(`${name}: ${SETTINGS[name].defaultText}`);
  });

  test("the ingestRules default is the stack's DEFAULT_INGEST_RULES, and the config's ingest block decides it", () => {
    expect(SETTINGS.ingestRules.default).toEqual(SETTINGS.ingestRules.parse(ingestRulesSetting(DEFAULT_INGEST_RULES)));
    expect(guardSettingsFromConfig(parseAppConfig(BASE_CONFIG)).ingestRules).toEqual(SETTINGS.ingestRules.default);
    expect(guardSettingsFromConfig(parseAppConfig({ ...BASE_CONFIG, ingest: { enabled: false } })).ingestRules).toEqual([]);
    const own = guardSettingsFromConfig(parseAppConfig({ ...BASE_CONFIG, ingest: { rules: [{ port: 8000, toPort: 8010, protocol: 'udp', cidrs: ['203.0.113.0/24', '::/0'] }] } }));
    expect(settingsToEnv(own).INGEST_RULES).toBe('8000-8010/udp@203.0.113.0/24,8000-8010/udp@::/0');
    expect(settingsFromEnv({ INGEST_RULES: settingsToEnv(own).INGEST_RULES }).ingestRules).toEqual(own.ingestRules);
    expect(settingsFromEnv({ INGEST_RULES: '' }).ingestRules).toEqual([]);
    expect(errorOf(() => settingsFromEnv({ INGEST_RULES: '1935/udp@nowhere' })).message).toBe(
      `'INGEST_RULES' must be an ingest rule like '1935/udp', '8000-8010/tcp' or '1945/tcp@203.0.113.0/24' (ports 1-65535, tcp or udp; from 0.0.0.0/0 unless '@CIDR'), got "1935/udp@nowhere"; fix the setting and run again`,
    );
  });

  test("the instance's own group reaches every front end: the config's top-level key, INSTANCE_SECURITY_GROUP_ID, --group-id", () => {
    const own = 'sg-0123456789abcdef0';
    expect(guardSettingsFromConfig(parseAppConfig({ ...BASE_CONFIG, instanceSecurityGroupId: own })).instanceSecurityGroupId).toBe(own);
    expect(settingsFromEnv({ INSTANCE_SECURITY_GROUP_ID: own }).instanceSecurityGroupId).toBe(own);
    expect(settingsFromEnv({ INSTANCE_SECURITY_GROUP_ID: '' }).instanceSecurityGroupId).toBeUndefined();
    expect(settingOptions()['group-id']).toMatchObject({ alias: ['instance-security-group-id'] });
    expect(errorOf(() => settingsFromEnv({ INSTANCE_SECURITY_GROUP_ID: 'sg-XYZ' })).message).toBe(
      `'INSTANCE_SECURITY_GROUP_ID' must look like 'sg-0123456789abcdef0', got "sg-XYZ"; fix the setting and run again`,
    );
  });

  test('typed props refuse what is not a setting, at compile time', () => {
    // @ts-expect-error: numeric settings are numbers, not anything
    const wrongType: GuardSettingsProps = { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', rulesPerGroup: { nonsense: true } };
    // @ts-expect-error: an unknown setting is no prop
    const unknownKey: GuardSettingsProps = { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', nonsense: true };
    expect(() => resolveGuardSettings({ ...wrongType })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveGuardSettings({ ...unknownKey })).toThrow(/unknown setting\(s\) nonsense/);
  });
});

describe('integer settings are decimal digits only, whichever front end gives them', () => {
  test.each(['0x3c', '1e2', ' 60', '60 ', '60.0', '+60', '-60', '6 0', '', '0b11', '٦٠'])('RULES_PER_GROUP=%j is refused', (text) => {
    const fromEnv = errorOf(() => settingsFromEnv({ RULES_PER_GROUP: text }));
    expect(fromEnv.code).toBe('CONFIG_INVALID');
    expect(fromEnv.message).toBe(`'RULES_PER_GROUP' must be a whole number from 1 to 1000, got ${JSON.stringify(text)}; fix the setting and run again`);
    expect(errorOf(() => settingsFromEnv({ CFGUARD_RULES_PER_GROUP: text }, 'CFGUARD_')).message).toMatch(/^'CFGUARD_RULES_PER_GROUP' must be a whole number/);
    expect(errorOf(() => parseAppConfig({ ...BASE_CONFIG, guard: { rulesPerGroup: text } })).message).toMatch(/^'guard\.rulesPerGroup' must be a whole number from 1 to 1000/);
    expect(errorOf(() => resolveGuardSettings({ rulesPerGroup: text }, (n) => `settings.${n}`)).message).toMatch(/^'settings\.rulesPerGroup' must be a whole number/);
  });

  test.each([60.5, Number.NaN, Infinity, 1001, 0])('the JSON number %p is refused', (value) => {
    expect(errorOf(() => resolveGuardSettings({ rulesPerGroup: value })).message).toMatch(/^'RULES_PER_GROUP' must be a whole number from 1 to 1000/);
  });

  test('plain digits and JSON integers are accepted alike', () => {
    expect(settingsFromEnv({ RULES_PER_GROUP: '100', GROUPS_PER_INTERFACE: '07' })).toMatchObject({ rulesPerGroup: 100, groupsPerInterface: 7 });
    expect(resolveGuardSettings({ rulesPerGroup: 100 })).toMatchObject({ rulesPerGroup: 100 });
  });

  test.each(['1e-1', '0x1', ' 0.5', '0.5.1', '-0.5'])('MAX_REVOKE_FRACTION=%j is refused', (text) => {
    expect(errorOf(() => settingsFromEnv({ MAX_REVOKE_FRACTION: text })).message).toMatch(/^'MAX_REVOKE_FRACTION' must be a fraction above 0 and at most 1/);
  });

  test.each([
    ['0.25', 0.25],
    ['.5', 0.5],
    ['1', 1],
  ])('MAX_REVOKE_FRACTION=%j is %p', (text, value) => {
    expect(settingsFromEnv({ MAX_REVOKE_FRACTION: text }).maxRevokeFraction).toBe(value);
  });
});

describe('errors raised far from the front end name the setting by id; the edge that prints spells it', () => {
  const tooMany = () => desired(range(422, (i) => tcp(80 + (i % 2), v4(i >> 1))));
  const plannerError = () => errorOf(() => planReconcile({ desired: tooMany(), actual: actual([]), settings: { ...settings(), ...settingsFromEnv({ GROUPS_PER_INTERFACE: '5' }) } }));

  test.each<[string, SettingSpelling, string, string]>([
    [
      "the Lambda (its variables, the core's own spelling)",
      LAMBDA_SPELLING,
      'GROUPS_PER_INTERFACE=5 at RULES_PER_GROUP=60',
      "raise GROUPS_PER_INTERFACE to 8 (with EC2's 'Security groups per network interface' quota), or raise RULES_PER_GROUP to 85",
    ],
    [
      'the CLI variables',
      (n) => `CFGUARD_${ENV_NAMES[n as GuardSettingName]}`,
      'CFGUARD_GROUPS_PER_INTERFACE=5 at CFGUARD_RULES_PER_GROUP=60',
      "raise CFGUARD_GROUPS_PER_INTERFACE to 8 (with EC2's 'Security groups per network interface' quota), or raise CFGUARD_RULES_PER_GROUP to 85",
    ],
    [
      'the CLI flags',
      (n) => `--${SETTINGS[n as GuardSettingName].flag}`,
      '--groups-per-interface=5 at --rules-per-group=60',
      "raise --groups-per-interface to 8 (with EC2's 'Security groups per network interface' quota), or raise --rules-per-group to 85",
    ],
    [
      'the config file',
      (n) => SETTINGS[n as GuardSettingName].configPath,
      'guard.groupsPerInterface=5 at guard.rulesPerGroup=60',
      "raise guard.groupsPerInterface to 8 (with EC2's 'Security groups per network interface' quota), or raise guard.rulesPerGroup to 85",
    ],
  ])("the planner's quota error, spelled for %s", (_front, spell, above, fix) => {
    const raised = plannerError();
    expect(raised).toMatchObject({ code: 'QUOTA_GROUPS_PER_INTERFACE', kind: 'usage', details: { setting: 'groupsPerInterface' } });
    const e = respelled(raised, spell) as GuardError;
    expect(e).toMatchObject({ code: 'QUOTA_GROUPS_PER_INTERFACE', kind: 'usage', details: raised.details });
    expect(e.message).toContain(`above ${above};`);
    expect(e.message).toContain(fix);
  });

  test.each([
    ['RulesPerSecurityGroupLimitExceeded', 'QUOTA_RULES_PER_GROUP', 'rulesPerGroup'],
    ['SecurityGroupsPerInterfaceLimitExceeded', 'QUOTA_GROUPS_PER_INTERFACE', 'groupsPerInterface'],
  ] as const)("EC2's %s is the same usage error as the planner's, naming the setting by id", (awsCode, code, setting) => {
    const refusal = Object.assign(new Error('limit'), { name: awsCode });
    const plain = describeAwsError(refusal, 'ModifyNetworkInterfaceAttribute', 'eni-1') as GuardError;
    expect(plain).toMatchObject({ code, kind: 'usage', details: { setting } });
    expect(plain.message).toContain(`quota is below ${SETTINGS[setting].env}; lower ${SETTINGS[setting].env} to the account's quota`);
    const named = respelled(plain, (n) => `--${SETTINGS[n as GuardSettingName].flag}`) as GuardError;
    expect(named.message).toContain(`quota is below --${SETTINGS[setting].flag}; lower --${SETTINGS[setting].flag} to the account's quota`);
  });

  test("the core's default spelling is the settings table's Lambda variable for every setting the core names", () => {
    for (const id of ['rulesPerGroup', 'groupsPerInterface', 'maxRevokeFraction'] as const) expect(LAMBDA_SPELLING(id)).toBe(SETTINGS[id].env);
  });

  test('an error that names no setting passes any spelling unchanged', () => {
    const e = new GuardError('AWS_ERROR', 'x failed', 'external');
    expect(respelled(e, () => 'never')).toBe(e);
  });
});

describe('GuardError is recognised across copies of the package', () => {
  test('an error thrown by another copy of the module is a GuardError by its Symbol.for brand', () => {
    let Other: typeof GuardError | undefined;
    jest.isolateModules(() => {
      Other = (jest.requireActual('../../lambda-src/core/errors') as typeof import('../../lambda-src/core/errors')).GuardError;
    });
    expect(Other).toBeDefined();
    expect(Other).not.toBe(GuardError);
    const foreign = new Other!('CONFIG_INVALID', 'from the other copy');
    expect(foreign instanceof GuardError).toBe(false);
    expect(isGuardError(foreign)).toBe(true);
  });

  test('an error merely named GuardError is not one', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'GuardError', code: 'CONFIG_INVALID' });
    expect(isGuardError(lookalike)).toBe(false);
    expect(isGuardError(new GuardError('CONFIG_INVALID', 'x'))).toBe(true);
  });
});
