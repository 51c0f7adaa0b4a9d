/**
 * AWS resource ids have one test (core/aws-ids): a prefix, a hyphen and 8 or 17 lowercase hex
 * characters (EC2 User Guide, "Resource IDs"). The constructs, the config file, the settings table
 * and the function's variables all use it, so no product module spells an id pattern of its own.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { awsIdExample, awsIdRule, isAwsId, type AwsIdKind } from '../../lambda-src/core/aws-ids';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { guardedInstancesFromEnv } from '../../lambda-src/config/guarded-instances';

const KINDS: ReadonlyArray<[AwsIdKind, string]> = [
  ['instance', 'i'],
  ['securityGroup', 'sg'],
  ['vpc', 'vpc'],
  ['networkInterface', 'eni'],
  ['eipAllocation', 'eipalloc'],
];

describe('isAwsId', () => {
  test.each(KINDS)('%s ids are %s- with 8 or 17 lowercase hex characters, nothing between', (kind, prefix) => {
    expect(isAwsId(kind, `${prefix}-0123abcd`)).toBe(true);
    expect(isAwsId(kind, `${prefix}-0123456789abcdef0`)).toBe(true);
    for (const length of [7, 9, 12, 16, 18]) expect(isAwsId(kind, `${prefix}-${'a'.repeat(length)}`)).toBe(false);
    expect(isAwsId(kind, `${prefix}-0123ABCD`)).toBe(false);
    expect(isAwsId(kind, `${prefix}-0123abcg`)).toBe(false);
    expect(isAwsId(kind, ` ${prefix}-0123abcd`)).toBe(false);
    expect(isAwsId(kind, awsIdExample(kind))).toBe(true);
  });

  test('a prefix belongs to its kind alone', () => {
    expect(isAwsId('instance', 'sg-0123abcd')).toBe(false);
    expect(isAwsId('securityGroup', 'i-0123abcd')).toBe(false);
    expect(isAwsId('networkInterface', 'eipalloc-0123abcd')).toBe(false);
  });

  test('the rule an error shows names the kind and a valid example', () => {
    expect(awsIdRule('instance')).toBe("an instance id like 'i-0123456789abcdef0'");
    expect(awsIdRule('eipAllocation')).toBe("an allocation id like 'eipalloc-0123456789abcdef0'");
  });
});

describe('every front end uses the one test', () => {
  test('a 12-character instance id is refused by the config file and by GUARDED_INSTANCE_IDS alike', () => {
    const bad = 'i-0123456789ab';
    expect(() => parseAppConfig({ name: 'demo', region: 'eu-north-1', instanceId: bad }, 'cfguard.config.json')).toThrow(/instanceId.*must look like 'i-0123456789abcdef0'/s);
    expect(() => guardedInstancesFromEnv({ GUARDED_INSTANCE_IDS: `i-0123abcd,${bad}` }, 'i-0123abcd')).toThrow(/GUARDED_INSTANCE_IDS/);
    expect(guardedInstancesFromEnv({ GUARDED_INSTANCE_IDS: 'i-0123abcd,i-0123456789abcdef0' }, 'i-0123abcd').guardedInstanceIds).toEqual(['i-0123abcd', 'i-0123456789abcdef0']);
  });

  test('no product module spells an AWS id pattern of its own', () => {
    const root = path.resolve(__dirname, '../..');
    const walk = (dir: string): string[] =>
      readdirSync(path.join(root, dir)).flatMap((name) => {
        const rel = `${dir}/${name}`;
        if (statSync(path.join(root, rel)).isDirectory()) return walk(rel);
        return rel.endsWith('.ts') && !rel.endsWith('.d.ts') ? [rel] : [];
      });
    const files = ['lambda-src', 'cli', 'constructs'].flatMap(walk);
    expect(files).toContain('lambda-src/core/aws-ids.ts');
    const spelled = files.filter((f) => f !== 'lambda-src/core/aws-ids.ts' && /\/\^(i|sg|vpc|eni|eipalloc)-\[0-9a-f\]/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(spelled).toEqual([]);
  });
});
