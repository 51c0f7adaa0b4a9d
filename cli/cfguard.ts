/**
 * The entry of the shipped CLI bundle (dist/cli/bundle/cfguard.mjs, built by scripts/bundle.js):
 * what `npx cfguard` runs. main.ts does the work; this file only runs it as the process.
 */
import { runAsProcess } from './main';

runAsProcess();
