import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const ROOT = path.resolve(__dirname, '../..');
/** Every tracked file a test, the emulator, the bench or the product reads or ships. */
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => /\.(ts|js|json|md)$/.test(f) && !f.startsWith('__tests__/fixtures/reference/'));
/** The sibling folder the reference data once came from, spelt in pieces so this file does not name it and is checked too. */
const SIBLING = ['sha', 'red'].join('');
const NAMES_SIBLING = new RegExp(`\\.\\./(\\.\\./)*${SIBLING}\\b`);

describe('the repository stands alone', () => {
  test('GIVEN every tracked source, test and document THEN none reads or names the reference folder beside the clone', () => {
    const offenders = tracked.filter((f) => NAMES_SIBLING.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('GIVEN every test, emulator and bench file THEN no path climbs above the repository root', () => {
    const escapes: string[] = [];
    for (const f of tracked.filter((t) => /^(__tests__|emulator|bench|scripts)\//.test(t))) {
      const depth = f.split('/').length - 1;
      for (const m of readFileSync(path.join(ROOT, f), 'utf8').matchAll(/['"`]((?:\.\.\/)+)/g)) if (m[1].length / 3 > depth) escapes.push(`${f}: ${m[0]}`);
    }
    expect(escapes).toEqual([]);
  });

  test.each(MANIFEST.map((m) => [m.file, m.md5, m.bytes] as const))('GIVEN the vendored %s THEN it expands to the exact original bytes (md5 %s)', (file, md5, bytes) => {
    const body = readFileSync(rangesPath(file));
    expect(body.length).toBe(bytes);
    expect(createHash('md5').update(body).digest('hex')).toBe(md5);
  });
});
