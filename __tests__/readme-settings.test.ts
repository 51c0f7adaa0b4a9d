/**
 * The README's `guard` configuration table is derived from the settings table: every setting row
 * there is exactly what `readmeRow` renders from lambda-src/config/settings.ts, and every row
 * naming a Lambda variable is one of them. On a mismatch the expected row is printed: paste it.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { FUNCTION_DEFAULTS, SETTING_NAMES, SETTINGS, type GuardSettingName } from '../lambda-src/config/settings';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The README row of one setting. */
function readmeRow(name: GuardSettingName): string {
  const row = SETTINGS[name];
  const key = row.configPath === `guard.${name}` ? `\`${name}\`` : row.configPath.includes('.') ? `(\`${row.configPath}\`)` : `(top-level \`${row.configPath}\`)`;
  const flags = [row.flag, ...(row.flagAliases ?? [])].map((f) => `\`--${f}\``).join(' / ');
  // A value is shown as code; a description of what happens ("the region's default VPC", "none") is not.
  const isValue = row.default !== undefined && !(Array.isArray(row.default) && row.default.length === 0) && !/\s/.test(row.defaultText);
  const shown = isValue ? `\`${row.defaultText}\`` : row.defaultText;
  return `| ${key} | \`${row.env}\` | ${flags} / \`CFGUARD_${row.env}\` | ${row.type} | ${shown} | ${row.doc} |`;
}

function guardTable(): string[] {
  const start = README.indexOf('### `guard`: the reconciler');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n### ', start + 5);
  return README.slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| key ') && !l.startsWith('|---'));
}

describe("the README's guard table is the settings table", () => {
  test.each(SETTING_NAMES)('%s has its derived row', (name) => {
    expect(guardTable()).toContainEqual(readmeRow(name));
  });

  test('every row naming a Lambda variable is a derived row, and none is missing', () => {
    const withVariable = guardTable().filter((l) => !/^\| [^|]+ \| – \|/.test(l));
    expect(withVariable.sort()).toEqual(SETTING_NAMES.map(readmeRow).sort());
  });

  test("the function's own keys show the defaults the schema and the construct use", () => {
    const rows = guardTable();
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^\\| \`mode\` \\| – \\| – \\| .* \\| \`${FUNCTION_DEFAULTS.mode}\` \\|`)));
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^\\| \`schedule\` \\| – \\| – \\| boolean \\| \`${FUNCTION_DEFAULTS.schedule}\` \\|`)));
    const { timeoutSeconds, memorySizeMb, logRetentionDays } = FUNCTION_DEFAULTS;
    expect(rows).toContainEqual(expect.stringContaining(`| ${timeoutSeconds} / ${memorySizeMb} / ${logRetentionDays} |`));
  });
});
