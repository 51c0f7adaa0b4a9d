import type { SentHeader } from '../../lambda-src/aws/distribution-header';
import { isSettled, planRotation, rotationState, sentSecret } from '../../cli/origin/rotate';
import type { OriginSecretTarget } from '../../cli/origin/target';
import { caught } from '../support/caught';

/** The rotation's decisions from what CloudFront sends and what the parameter holds: states, retire refusals, the bearer shape. */

const OLD = 'o'.repeat(43);
const NEW = 'n'.repeat(43);
const OTHER = 'x'.repeat(43);
const target = { parameterName: '/cfguard/live/origin-secret', headerName: 'X-Origin-Verify', headerShape: 'plain', originUrl: 'http://127.0.0.1/live/index.m3u8' } as OriginSecretTarget;
const sent = (values: string[], o: Partial<SentHeader> = {}): SentHeader => ({
  distributionId: 'EDFDVBD6EXAMPLE',
  status: 'Deployed',
  settled: true,
  values,
  originIds: values.map(() => 'media-origin'),
  ...o,
});
const latest = (current: string, previous: string, version = 2) => ({ version, value: { current, previous } });

test.each([
  ['CloudFront sends the only value', OLD, latest(OLD, OLD), 'steady'],
  ['CloudFront sends the newest value, an older one still accepted', NEW, latest(NEW, OLD), 'previous-still-accepted'],
  ['the newest version keeps what CloudFront sends as previous', OLD, latest(NEW, OLD), 'staged'],
  ['the newest version holds neither value CloudFront sends', OLD, latest(NEW, OTHER), 'unaccepted'],
])('%s: the state is as named', (_what, value, stored, state) => {
  expect(rotationState(value, stored)).toBe(state);
});

test.each([
  ['staged', latest(NEW, OLD)],
  ['unaccepted', latest(NEW, OTHER)],
])('a retire while %s is ROTATION_NOT_SWITCHED', (_state, stored) => {
  expect(caught(() => planRotation(target, sent([OLD]), stored, true))).toMatchObject({ code: 'ROTATION_NOT_SWITCHED', details: { distributionId: 'EDFDVBD6EXAMPLE', latestVersion: 2 } });
});

test('a staged plan resumes (no stage step) and names the staged version for the deploy; an unaccepted one stages a repair', () => {
  expect(planRotation(target, sent([OLD]), latest(NEW, OLD), false).steps.map((s) => s.split(':')[0])).toEqual(['wait', 'switch', 'later']);
  expect(planRotation(target, sent([OLD]), latest(NEW, OLD), false).steps[1]).toContain('secretVersion 2');
  expect(planRotation(target, sent([OLD]), latest(NEW, OTHER), false).steps[0]).toContain('repairs version 2');
});

test.each([
  [sent([OLD]), true],
  [sent([OLD], { status: 'InProgress' }), false],
  [sent([OLD], { settled: false }), false],
])('case %#: settled only when Deployed and both reads saw one configuration', (s, settled) => {
  expect(isSettled(s)).toBe(settled);
});

test('the bearer shape compares the secret after "Bearer "; no header or two different values are refused with their codes', () => {
  expect(sentSecret({ ...target, headerShape: 'bearer' }, sent([`Bearer ${OLD}`]))).toBe(OLD);
  expect(caught(() => sentSecret(target, sent([])))).toMatchObject({ code: 'ORIGIN_HEADER_NOT_SENT' });
  expect(caught(() => sentSecret(target, sent([OLD, NEW])))).toMatchObject({ code: 'ORIGIN_HEADERS_DIFFER', details: { originIds: ['media-origin', 'media-origin'] } });
});
