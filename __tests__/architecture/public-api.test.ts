/**
 * The package's root exports are its API: the constructs, the config loader and the error type at
 * runtime, and their props and the types those name. Anything else found here is an internal that
 * leaked (a render helper, a validator, a constant) and would become a promise to keep.
 */
import * as api from '../../constructs';

test('the package root exports exactly the constructs, the config loader and the error type', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'DEFAULT_CONFIG_FILE',
      'ERROR_CODES',
      'EdgeDistribution',
      'EdgeMonitoring',
      'GuardError',
      'IngestRules',
      'OriginElasticIp',
      'OriginGuardStack',
      'OriginIpRangeGuard',
      'OriginPrefixListGuard',
      'OriginSecret',
      'StreamingOrigin',
      'isGuardError',
      'loadAppConfig',
      'parseAppConfig',
    ].sort(),
  );
});

test('every exported class is a construct or the error type', () => {
  const classes = Object.entries(api).filter(([, v]) => typeof v === 'function' && /^class /.test(Function.prototype.toString.call(v)));
  const { Construct } = jest.requireActual('constructs');
  for (const [name, cls] of classes) {
    const isConstruct = (cls as { prototype: unknown }).prototype instanceof Construct;
    expect({ name, kind: isConstruct || cls === api.GuardError ? 'ok' : 'not a construct' }).toEqual({ name, kind: 'ok' });
  }
  expect(classes.length).toBe(10);
});
