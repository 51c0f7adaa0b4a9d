import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { validateAgainstProviderSchema } from './provider-schema';
// Brings in cdktf's typings of the jest matchers (toHaveResourceWithProperties, ...).
import type {} from 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

type Bodies = Record<string, Record<string, any>>;

/** A synthesized stack: the JSON string the cdktf matchers take, and its parsed form. */
export interface Synth {
  readonly json: string;
  readonly resources: (type: string) => Record<string, any>;
  readonly dataSources: (type: string) => Record<string, any>;
  /** The one resource of a type, failing when there are none or several. */
  readonly only: (type: string) => any;
  readonly schemaProblems: () => string[];
}

/** Builds a fresh stack per call (Testing.synthScope) and parses its JSON. */
export function synth(build: (scope: Construct) => void): Synth {
  const json = Testing.synthScope(build);
  const parsed = JSON.parse(json) as { resource?: Bodies; data?: Bodies };
  const resources = (type: string) => parsed.resource?.[type] ?? {};
  return {
    json,
    resources,
    dataSources: (type) => parsed.data?.[type] ?? {},
    only: (type) => {
      const all = Object.values(resources(type));
      if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
      return all[0];
    },
    schemaProblems: () => validateAgainstProviderSchema(json),
  };
}

/** Runs `build` in a fresh stack and returns what it threw (or fails when nothing was thrown). */
export function synthError(build: (scope: Construct) => void): { code: string; message: string } {
  try {
    Testing.synthScope(build);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected the construct to throw');
}
