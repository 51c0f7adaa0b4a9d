import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { DEFAULT_IMPORTS_FILE, type AppConfig } from '../../lambda-src/config/app-config';
import { importablePaths } from '../../lambda-src/config/import-paths';
import { guardError } from '../../lambda-src/core/errors';

/**
 * The imports file `{ "<construct path>": "<cloud id>" }` that the stack turns into `importFrom`.
 * Entries found now replace those with the same key; other entries (added by hand) are kept.
 */

/** `--imports-file` (from the working directory), else the config's `importsFile` or the default, next to the config. */
export function importsFilePath(explicit: string | undefined, cwd: string, config: AppConfig, configPath: string): string {
  if (explicit !== undefined && explicit !== '') return path.resolve(cwd, explicit);
  return path.resolve(path.dirname(configPath), config.importsFile ?? DEFAULT_IMPORTS_FILE);
}

export function readImports(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw guardError('CONFIG_INVALID', `imports file '${file}' must be valid JSON, got a syntax error (${(e as Error).message}); fix or delete it and run 'cfguard import' again`, 'usage', { file });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
    throw guardError('CONFIG_INVALID', `imports file '${file}' must be a JSON object of "<construct path>": "<cloud id>" strings; fix or delete it and run 'cfguard import' again`, 'usage', { file });
  }
  return raw as Record<string, string>;
}

/** Known paths first, in the stack's order, then any others as they were. */
export function mergeImports(config: AppConfig, existing: Readonly<Record<string, string>>, found: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...existing, ...found };
  const order = importablePaths(config).map((p) => p.path);
  const keys = [...order.filter((k) => k in merged), ...Object.keys(merged).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, merged[k]]));
}

/** Writes only when the content changes; returns whether it did. */
export function writeImports(file: string, entries: Readonly<Record<string, string>>): boolean {
  const text = `${JSON.stringify(entries, null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}
