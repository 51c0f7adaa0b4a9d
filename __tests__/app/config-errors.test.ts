import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { guardSettingsFromConfig, loadAppConfig, parseAppConfig } from '../../lambda-src/config/app-config';
import { jsonFault } from '../../lambda-src/config/json-syntax';
import { MINIMAL, configErrorOf } from '../support/app-fixtures';

/** The first hour's config mistakes: each gets one error that names what is wrong and how to fix it. */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfguard-config-errors-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** GIVEN a config file with exactly this text WHEN it is loaded THEN the error it raises. */
function loadErrorOf(text: string): { code: string; message: string; details: Record<string, unknown> } {
  const file = path.join(dir, 'cfguard.config.json');
  fs.writeFileSync(file, text);
  try {
    loadAppConfig(file);
  } catch (e) {
    return e as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected the config to be refused');
}

describe('unknown keys come first, with a did-you-mean', () => {
  const { instanceId, ...withoutInstanceId } = MINIMAL;

  test.each<[string, unknown, string, Record<string, string>]>([
    [
      "a misspelt required key ('instanceID'), which also leaves 'instanceId' missing",
      { ...withoutInstanceId, instanceID: instanceId },
      "cfguard.config.json: '(root)' has unknown key(s) 'instanceID' (did you mean 'instanceId'?); remove them or fix their spelling (known keys: name, region, instanceId,",
      { instanceID: 'instanceId' },
    ],
    ['a misspelt optional key at the top', { ...MINIMAL, vpcID: 'vpc-0123456789abcdef0' }, "cfguard.config.json: '(root)' has unknown key(s) 'vpcID' (did you mean 'vpcId'?)", { vpcID: 'vpcId' }],
    [
      'a misspelt optional key in guard',
      { ...MINIMAL, guard: { prefixname: 'AUTOUPDATE_CF' } },
      "cfguard.config.json: 'guard' has unknown key(s) 'prefixname' (did you mean 'prefixName'?)",
      { prefixname: 'prefixName' },
    ],
    [
      'a misspelt key beside a bad value elsewhere',
      { ...MINIMAL, name: 'Not Valid', distribution: { priceclass: 'PriceClass_100' } },
      "cfguard.config.json: 'distribution' has unknown key(s) 'priceclass' (did you mean 'priceClass'?)",
      { priceclass: 'priceClass' },
    ],
    ['a key near nothing known', { ...MINIMAL, colour: 'blue' }, "cfguard.config.json: '(root)' has unknown key(s) 'colour'; remove them", {}],
  ])('GIVEN %s THEN the unknown key is the error', (_name, raw, message, suggestions) => {
    const error = configErrorOf(raw);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.slice(0, message.length)).toBe(message);
    expect(error.details.suggestions).toEqual(suggestions);
  });

  test('GIVEN only a missing required key THEN the error says it is missing', () => {
    expect(configErrorOf(withoutInstanceId).message).toBe("cfguard.config.json: 'instanceId' must be set to a string, got nothing (the key is missing); fix it in cfguard.config.json and run again");
  });
});

describe('a JSON syntax error names the line, the column and the text there, on one line', () => {
  test.each<[string, string, number, number, string]>([
    ['a trailing comma in an object', '{\n  "name": "streaming-origin",\n}\n', 3, 1, "a key was expected after ',' (JSON allows no trailing comma), near `}`"],
    ['a trailing comma in a list', '{\n  "guard": { "ports": ["80/tcp", ] }\n}', 2, 34, 'a value was expected after \',\' (JSON allows no trailing comma), near `"guard": { "ports": ["80/tcp", ] }`'],
    ['a missing comma', '{\n  "name": "x"\n  "region": "eu-north-1"\n}', 3, 3, '\',\' or \'}\' was expected after the value, near `"region": "eu-north-1"`'],
    ['single quotes', "{ 'name': 'x' }", 1, 3, "a key in double quotes was expected, near `{ 'name': 'x' }`"],
    ['a bare word', '{ "name": streaming }', 1, 11, 'a value was expected'],
    ['a cut-off file', '{ "name": ', 1, 11, 'the file ends where a value was expected'],
    ['text after the object', '{ "name": "x" } }', 1, 17, 'the JSON value ends before this text'],
  ])('GIVEN %s', (_name, text, line, column, what) => {
    const error = loadErrorOf(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`must be valid JSON, got a syntax error at line ${line}, column ${column}: ${what}`);
    expect(error.message).toMatch(/; fix the file and run again$/);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ line, column });
  });

  test('GIVEN a long line THEN the quote is cut around the fault, marked with …', () => {
    const text = `{ "comment": "${'x'.repeat(100)}", }`;
    const fault = jsonFault(text)!;
    expect(fault).toMatchObject({ line: 1, column: text.length });
    expect(fault.near).toMatch(/^…x+", }$/);
  });

  test('GIVEN valid JSON THEN there is no fault (the walk agrees with JSON.parse)', () => {
    const texts = ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"],"b":{}}', ' \n"x" \n'];
    for (const text of texts) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonFault(text)).toBeUndefined();
    }
  });
});

describe('ports: a bare number means tcp, as the README says', () => {
  test.each<[string, unknown]>([
    ['numbers in a list', [80, 443]],
    ['numbers mixed with text', [80, '443/tcp']],
    ['bare text', ['80', '443']],
  ])('GIVEN %s THEN 80/tcp and 443/tcp are opened', (_name, ports) => {
    expect(guardSettingsFromConfig(parseAppConfig({ ...MINIMAL, guard: { ports } })).ports).toEqual([
      { protocol: 'tcp', fromPort: 80, toPort: 80 },
      { protocol: 'tcp', fromPort: 443, toPort: 443 },
    ]);
  });

  test.each<[string, unknown, string]>([
    ['a port out of range', [80, 70000], "'guard.ports[1]' must be a port like '80/tcp', '1935/udp', '8000-8010/tcp' or 80 (ports 1-65535, protocol tcp or udp), got 70000"],
    ['a fraction', [80.5], "'guard.ports[0]' must be a port like '80/tcp', '1935/udp', '8000-8010/tcp' or 80 (ports 1-65535, protocol tcp or udp), got 80.5"],
    [
      'an unknown protocol, after an empty item',
      ['', '80/icmp'],
      "'guard.ports[1]' must be a port like '80/tcp', '1935/udp', '8000-8010/tcp' or 80 (ports 1-65535, protocol tcp or udp), got \"80/icmp\"",
    ],
    ['a single number, not a list', 80, "'guard.ports' must be a list like ['80/tcp', '443/tcp'] or a comma-separated string, got 80"],
    ['true', [true], "'guard.ports[0]' must be a string, got true"],
  ])('GIVEN %s THEN it is still refused', (_name, ports, message) => {
    expect(configErrorOf({ ...MINIMAL, guard: { ports } }).message).toContain(message);
  });
});
