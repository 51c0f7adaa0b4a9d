import { z } from 'zod';
import { SettingProblem } from './setting-parsers';
import { SETTINGS } from './settings';

/*
 * zod fields judged by the settings table's own parsers, shared by the config file's blocks
 * (app-config.ts, distribution-config.ts), so a value is checked by one rule wherever it appears.
 */

/** A commercial region, judged by the settings table's own region parser. */
export const regionField = z.string().superRefine(judgedBy(SETTINGS.region.parse));
/** A zod refinement that runs a settings-table parser and reports its rule at the value's path. */
export function judgedBy(parse: (value: unknown) => unknown) {
  return (value: unknown, ctx: z.core.$RefinementCtx) => {
    try {
      parse(value);
    } catch (e) {
      if (!(e instanceof SettingProblem)) throw e;
      ctx.addIssue({ code: 'custom', message: e.rule, path: [...e.path], input: e.value });
    }
  };
}
