/**
 * Runs the shipped bundle `dist/lambda/index.js` (built by `npm test` before jest) with a given
 * environment, capturing its log lines. Nothing here reimplements the handler.
 */
import path from 'path';

export const BUNDLE_PATH = path.resolve(__dirname, '../../dist/lambda/index.js');

type Handler = (event: unknown) => Promise<Record<string, unknown>>;

export function loadBundledHandler(): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUNDLE_PATH).handler as Handler;
}

export interface Invocation {
  readonly result?: Record<string, unknown>;
  readonly error?: Error & { code?: string };
  /** Every JSON line the handler wrote to stdout. */
  readonly lines: Record<string, unknown>[];
}

/** Invokes with exactly `env` layered over the test process environment, restoring it afterwards. */
export async function invoke(handler: Handler, event: unknown, env: Record<string, string | undefined>): Promise<Invocation> {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const lines: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    for (const l of String(chunk).split('\n')) if (l.trim().startsWith('{')) lines.push(JSON.parse(l));
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await handler(event);
    return { result, lines };
  } catch (error) {
    return { error: error as Error, lines };
  } finally {
    process.stdout.write = write;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
