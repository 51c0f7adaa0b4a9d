/**
 * The README's shape and the claims in it that the code can check: the table of contents is the
 * headings, every in-page link lands on a heading, the prerequisites come first and match the pins,
 * the cost tables name a source and a date for every price and count what the default stack
 * creates, and statements once wrong (the teardown's "removed from state", a NACL letting traffic
 * around CloudFront, an example address subscribed) stay corrected.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { Testing } from 'cdktf';
import { buildStack } from '../main';
import { EXAMPLE_CONFIG, GUARD_BUNDLE, REPO_ROOT } from './support/app-fixtures';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

/** The README without its fenced blocks (a shell comment `# …` there is no heading). */
const prose = README.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped (backticks, colons, dots, parentheses), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** `## ` and `### ` headings, in order. */
const headings = [...prose.matchAll(/^(#{2,3}) (.+)$/gm)].map((m) => ({ level: m[1].length, text: m[2] }));

function section(title: string): string {
  const start = prose.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = prose.indexOf('\n## ', start + 4);
  return prose.slice(start, end < 0 ? undefined : end);
}

describe('the table of contents', () => {
  const toc = prose.slice(prose.indexOf('**Contents**'), prose.indexOf('\n## '));
  const entries = [...toc.matchAll(/^( *)- \[(.+)\]\(#([^)]+)\)$/gm)].map((m) => ({ level: m[1].length === 0 ? 2 : 3, text: m[2], anchor: m[3] }));

  test('comes before the first section and lists every ## and ### heading, in order, at its level', () => {
    expect(prose.indexOf('**Contents**')).toBeLessThan(prose.indexOf('\n## '));
    expect(entries.map(({ level, text }) => ({ level, text }))).toEqual(headings);
  });

  test("each entry links to its heading's anchor", () => {
    expect(entries.map((e) => e.anchor)).toEqual(headings.map((h) => slug(h.text)));
  });

  test('every in-page link in the README lands on a heading', () => {
    const anchors = new Set([...prose.matchAll(/^#{1,4} (.+)$/gm)].map((m) => slug(m[1])));
    const links = [...new Set([...prose.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]))];
    expect(links.length).toBeGreaterThan(entries.length);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });
});

describe('the prerequisites', () => {
  const prerequisites = section('Prerequisites');

  test('are the first section, before the Quick start', () => {
    expect(headings[0].text).toBe('Prerequisites');
  });

  test("name the Node.js of package.json's engines, Terraform ≥ 1.11 for value_wo, the provider pin init fetches, credentials and the deploy's duration", () => {
    expect(PACKAGE.engines.node).toBe('>=20');
    expect(prerequisites).toContain('**Node.js ≥ 20**');
    expect(prerequisites).toMatch(/\*\*Terraform ≥ 1\.11\*\*[\s\S]*`value_wo`/);
    expect(prerequisites).toMatch(/`terraform init`[\s\S]*hashicorp\/aws 6\.25\.0/);
    expect(prerequisites).toContain('**AWS credentials**');
    expect(prerequisites).toMatch(/5–15 minutes/);
  });
});

describe('the costs', () => {
  const costs = section('Costs and teardown');
  const tables = costs.slice(0, costs.indexOf('Live HLS is request-heavy'));
  // Rows with a price in them: not the header, the separator, the totals, or the rows that refer elsewhere.
  const pricedRows = tables.split('\n').filter((l) => l.startsWith('| ') && l.includes('$') && !/^\| \*\*total|the idle table|without viewers/.test(l));

  test('every priced row names its source and the date it was read', () => {
    expect(pricedRows.length).toBeGreaterThanOrEqual(10);
    expect(pricedRows.filter((row) => !/read \d{4}-\d{2}-\d{2}/.test(row))).toEqual([]);
  });

  test('the idle table counts the alarms the default stack creates, and the sample prices Origin Shield, on by default', () => {
    const stack = buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} });
    const synth = JSON.parse(Testing.synth(stack));
    const alarms = Object.keys(synth.resource.aws_cloudwatch_metric_alarm ?? {}).length;
    const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    expect(costs).toContain(`CloudWatch alarms: ${alarms} standard`);
    expect(costs).toContain(`${words[alarms]} alarms`);
    const distribution = Object.values<any>(synth.resource.aws_cloudfront_distribution)[0];
    expect(distribution.origin[0].origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-west-2' });
    expect(costs).toMatch(/Origin Shield on in eu-west-2/);
    expect(costs).toContain('`"distribution": { "originShield": false }`');
  });

  test('the Origin Shield paragraph says what it costs and what it saves for an EC2 origin', () => {
    expect(costs).toMatch(/\*\*Origin Shield, honestly\.\*\* For this EC2 origin the transfer from the origin to CloudFront is free/);
    expect(costs).not.toMatch(/pays for itself|a few cents/);
  });
});

describe('statements once wrong stay corrected', () => {
  test("teardown: the instance's own group was never in Terraform's state, so nothing says it is removed from it", () => {
    const stack = buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} });
    const synth = JSON.parse(Testing.synth(stack));
    const ownGroup = JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')).instanceSecurityGroupId;
    expect(Object.keys(synth.resource.aws_security_group ?? {})).toEqual([]);
    expect(Object.values<any>(synth.resource.aws_vpc_security_group_ingress_rule).every((r) => r.security_group_id === ownGroup)).toBe(true);
    expect(README).not.toMatch(/own group[^.]*removed from state/);
    expect(section('Costs and teardown')).toContain('it never was a\n  Terraform resource of this stack');
  });

  test('the probe: a network ACL cannot open what a security group blocks', () => {
    expect(README).not.toMatch(/\(a group, a NACL,/);
    expect(README).toMatch(/a NACL\nis a second filter in the subnet and can only drop what the security groups let through, never open\nwhat they block/);
  });

  test('the example configs subscribe no address; the README shows how, commented', () => {
    for (const file of ['cfguard.config.json', 'examples/single-account/cfguard.config.json', 'examples/multi-account/eu.cfguard.config.json', 'examples/multi-account/us.cfguard.config.json']) {
      expect(JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')).guard?.alerting?.emails).toBeUndefined();
    }
    expect(README).toMatch(/```jsonc\n"guard": \{\n  "alerting": \{\n    \/\/ [^\n]+\n    "emails": \["oncall@your-company\.com"\]/);
  });
});
