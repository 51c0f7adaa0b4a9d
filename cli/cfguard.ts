/**
 * The entry of the shipped CLI bundle (dist/cli/bundle/cfguard.mjs, built by scripts/bundle.js):
 * what `npx cfguard` runs. main.ts does the work; this file only runs it as the process.
 */
import { runAsProcess } from './main';

// `--debug` prints stacks: through the bundle's source maps they name cli/ and lambda-src/ files, not chunks.
if (process.argv.includes('--debug') || /^(1|true)$/i.test(process.env.CFGUARD_DEBUG ?? '')) process.setSourceMapsEnabled(true);
runAsProcess();
