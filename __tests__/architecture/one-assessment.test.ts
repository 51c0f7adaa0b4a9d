/**
 * One assessment: rules are classified in one place. core/verdicts.ts holds the only classifier and
 * only the assessment's modules (core/assessment.ts, and core/exposure.ts, which aggregates the
 * verdicts of every group on the instance) import it; the classifiers it replaced are gone from the
 * product. The facts about one source or port that every layer needs (the world, a prefix list, a
 * group reference, whether a rule lets a port in, EC2's default egress) are helpers of core/rules.ts,
 * defined there once. And the shell's reconcile loop depends on the EC2 interface, not on the SDK.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const PRODUCT = ['lambda-src', 'cli', 'constructs'];
const ASSESSMENT_MODULES = ['lambda-src/core/assessment.ts', 'lambda-src/core/exposure.ts'];

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return files(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

const product = PRODUCT.flatMap(files);
const source = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const specifiers = (rel: string) => [...source(rel).matchAll(/from\s+['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
const resolves = (from: string, spec: string, target: string) => spec.startsWith('.') && path.posix.join(path.posix.dirname(from), spec).replace(/\.ts$/, '') === target.replace(/\.ts$/, '');

describe('one assessment', () => {
  test('the walk sees the product and the classifier', () => {
    expect(product.length).toBeGreaterThan(100);
    expect(product).toContain('lambda-src/core/verdicts.ts');
  });

  test('only the assessment’s modules import the verdicts’ classifier', () => {
    const importers = product.filter((f) => specifiers(f).some((s) => resolves(f, s, 'lambda-src/core/verdicts.ts')));
    expect(importers.sort()).toEqual(ASSESSMENT_MODULES);
  });

  test.each(['whyUnwanted', 'kindOf', 'isForeignRule', 'isCloudFrontRule', 'onManagedPort', 'onConfiguredPort', 'formatSource', 'refusedGroupWarning'])(
    'no product file defines the replaced classifier or core-side text %s',
    (name) => {
      const defining = product.filter((f) => new RegExp(`function\\s+${name}\\b|const\\s+${name}\\s*=`).test(source(f)));
      expect(defining).toEqual([]);
    },
  );

  const RULES = 'lambda-src/core/rules.ts';
  const elsewhere = () => product.filter((f) => f !== RULES);

  test.each(['WORLD_SOURCES', 'WORLD', 'isWorldSource', 'isPrefixListSource', 'isGroupSource', 'admits', 'covers', 'ported', 'letsCloudFrontIn', 'isDefaultEgress'])(
    'only core/rules.ts defines the rule helper %s (or a copy by that name)',
    (name) => {
      const defining = product.filter((f) => new RegExp(`function\\s+${name}\\b|const\\s+${name}\\s*[:=]`).test(source(f)));
      expect(defining).toEqual(['WORLD_SOURCES', 'isWorldSource', 'isPrefixListSource', 'isGroupSource', 'admits', 'isDefaultEgress'].includes(name) ? [RULES] : []);
    },
  );

  test('no other product file spells the world, a prefix-list or a group source itself', () => {
    const spelled = elsewhere().flatMap((f) => {
      const hits = [...source(f).matchAll(/startsWith\(\s*['"](?:pl|sg)-['"]\s*\)|(?:===|!==|has\()\s*['"](?:0\.0\.0\.0\/0|::\/0)['"]|new Set\(\[\s*['"]0\.0\.0\.0\/0['"]/g)];
      return hits.map((m) => `${f}: ${m[0]}`);
    });
    expect(spelled).toEqual([]);
  });

  test('the shell’s reconcile loop imports the EC2 interface, never @aws-sdk/client-ec2', () => {
    const specs = specifiers('lambda-src/aws/reconcile.ts');
    expect(specs).toContain('./security-group-manager');
    expect(specs.filter((s) => s.startsWith('@aws-sdk/'))).toEqual([]);
  });
});
