import { guardSettingsFromConfig, parseAppConfig } from '../../lambda-src/config/app-config';
import { ALL_OPTIONS, MINIMAL, configErrorOf, configWith, expectConfigInvalid } from '../support/app-fixtures';

/** The config file's `guard.alerting` block: the construct's alerting props, validated with the file's paths. */

const errorOf = configErrorOf;

const withAlerting = (alerting: unknown, guard: Record<string, unknown> = {}) => ({ ...MINIMAL, guard: { ...guard, alerting } });

describe('guard.alerting', () => {
  test('GIVEN no block THEN the config has none: the construct applies its defaults', () => {
    expect(parseAppConfig(MINIMAL).guard.alerting).toBeUndefined();
  });

  test('GIVEN every key THEN each is kept as written', () => {
    const alerting = {
      errorsAlarm: false,
      refusedAlarm: true,
      noSuccessAlarm: true,
      noSuccessPeriodSeconds: 7200,
      noSuccessEvaluationPeriods: 36,
      topicKmsKeyId: 'alias/cfguard-alarms',
      emails: ['ops@media-team.test'],
    };
    expect(parseAppConfig(withAlerting(alerting)).guard.alerting).toEqual(alerting);
    expect(parseAppConfig(ALL_OPTIONS).guard.alerting?.emails).toHaveLength(2);
  });

  test('GIVEN an existing topic in the stack region THEN it is accepted', () => {
    expect(configWith({ guard: { alerting: { topicArn: 'arn:aws:sns:eu-north-1:123456789012:ops-alarms' } } }).guard.alerting?.topicArn).toBe('arn:aws:sns:eu-north-1:123456789012:ops-alarms');
  });

  test('the block is not a reconciler setting: the Lambda settings are unchanged by it', () => {
    expect(guardSettingsFromConfig(configWith({ guard: { alerting: { emails: ['ops@media-team.test'] } } }))).toEqual(guardSettingsFromConfig(configWith()));
  });
});

describe('each bad alerting value is one CONFIG_INVALID naming its JSON path, the rule and the value', () => {
  test.each<[string, unknown, string]>([
    [
      'an unknown key',
      withAlerting({ email: ['ops@media-team.test'] }),
      "'guard.alerting' has unknown key(s) 'email' (did you mean 'emails'?); remove them or fix their spelling (known keys: errorsAlarm, refusedAlarm, noSuccessAlarm",
    ],
    ['a switch that is not a boolean', withAlerting({ errorsAlarm: 'off' }), '\'guard.alerting.errorsAlarm\' must be true or false, got "off"'],
    ['a period that is not whole minutes', withAlerting({ noSuccessPeriodSeconds: 90 }), "'guard.alerting.noSuccessPeriodSeconds' must be a multiple of 60, got 90"],
    ['a period below a minute', withAlerting({ noSuccessPeriodSeconds: 0 }), "'guard.alerting.noSuccessPeriodSeconds' must be at least 60, got 0"],
    [
      'a window over a day with periods under an hour',
      withAlerting({ noSuccessPeriodSeconds: 600, noSuccessEvaluationPeriods: 145 }),
      "'guard.alerting.noSuccessEvaluationPeriods' must be at most 144 with a period of 600 s (CloudWatch's limit: period x evaluation periods <= 86,400 s for periods under an hour; 600 x 145 = 87,000 s), got 145",
    ],
    [
      'a window over seven days',
      withAlerting({ noSuccessPeriodSeconds: 86_400, noSuccessEvaluationPeriods: 8 }),
      "'guard.alerting.noSuccessEvaluationPeriods' must be at most 7 with a period of 86,400 s (CloudWatch's limit: period x evaluation periods <= 604,800 s for periods of an hour or more; 86,400 x 8 = 691,200 s), got 8",
    ],
    ['zero evaluation periods', withAlerting({ noSuccessEvaluationPeriods: 0 }), "'guard.alerting.noSuccessEvaluationPeriods' must be at least 1, got 0"],
    [
      'a topic that is not an SNS ARN',
      withAlerting({ topicArn: 'ops-alarms' }),
      "'guard.alerting.topicArn' must be an SNS topic ARN like 'arn:aws:sns:eu-north-1:123456789012:ops-alarms', got \"ops-alarms\"",
    ],
    [
      'a topic in another region',
      withAlerting({ topicArn: 'arn:aws:sns:us-east-1:123456789012:ops-alarms' }),
      "'guard.alerting.topicArn' must be a topic in 'eu-north-1' (the stack's region: CloudWatch alarms notify topics in their own region only)",
    ],
    ['the AWS managed SNS key', withAlerting({ topicKmsKeyId: 'alias/aws/sns' }), "'guard.alerting.topicKmsKeyId' must be a customer managed key whose policy admits cloudwatch.amazonaws.com"],
    [
      'a key with an existing topic',
      withAlerting({ topicArn: 'arn:aws:sns:eu-north-1:123456789012:ops-alarms', topicKmsKeyId: 'alias/mine' }),
      "'guard.alerting.topicKmsKeyId' must be absent when 'topicArn' names an existing topic",
    ],
    ['a bad e-mail address', withAlerting({ emails: ['ops at media-team.test'] }), "'guard.alerting.emails[0]' must be an e-mail address like 'ops@example.com', got \"ops at media-team.test\""],
    [
      'an address at a documentation domain (a copied example nobody can confirm)',
      withAlerting({ emails: ['ops@media-team.test', 'ops@example.com'] }),
      "'guard.alerting.emails[1]' must be an address that can receive mail ('example.com' is reserved for documentation, so nobody could confirm the subscription; put your team's address, or remove 'emails' to subscribe none), got \"ops@example.com\"",
    ],
    ['an address under example.org', withAlerting({ emails: ['Oncall@Mail.Example.ORG'] }), "'guard.alerting.emails[0]' must be an address that can receive mail ('example.org' is reserved"],
    ['an address at example.net', withAlerting({ emails: ['a@example.net'] }), "'guard.alerting.emails[0]' must be an address that can receive mail ('example.net' is reserved"],
    ['an address twice', withAlerting({ emails: ['ops@media-team.test', 'ops@media-team.test'] }), '\'guard.alerting.emails[1]\' must be listed once, got "ops@media-team.test"'],
    [
      'addresses with every alarm off',
      withAlerting({ errorsAlarm: false, refusedAlarm: false, noSuccessAlarm: false, exposureAlarm: false, foreignRulesAlarm: false, emails: ['ops@media-team.test'] }),
      '\'guard.alerting.emails\' must be empty when every alarm is off (nothing would ever be sent to them), got ["ops@media-team.test"]',
    ],
    [
      'addresses with the two failure alarms off and no schedule',
      withAlerting({ errorsAlarm: false, refusedAlarm: false, exposureAlarm: false, foreignRulesAlarm: false, emails: ['ops@media-team.test'] }, { schedule: false }),
      "'guard.alerting.emails' must be empty when every alarm is off",
    ],
    [
      'alerting in prefix-list mode',
      withAlerting({ emails: ['ops@media-team.test'] }, { mode: 'prefix-list' }),
      "'guard.alerting' must be absent when 'guard.mode' is 'prefix-list' (there is no function to watch)",
    ],
  ])('%s', (_name, raw, message) => expectConfigInvalid(raw, message));

  test('the error names the path in its details for tools', () => {
    expect(errorOf(withAlerting({ noSuccessEvaluationPeriods: 1000 })).details.path).toBe('guard.alerting.noSuccessEvaluationPeriods');
  });
});
