import { randomBytes } from 'node:crypto';
import { distributionConfigBody, document, inconsistentList, originHeadersOf, textOf, withOriginHeader, type OriginHeaders, type SeedOrigin } from './distribution-xml';

/*
 * CloudFront's behaviour for the calls cfguard (and a deploy standing in for terraform) makes, as the
 * Amazon CloudFront API Reference describes them:
 *   - GetDistributionConfig (`GET /2020-05-31/distribution/{Id}/config`): the DistributionConfig and
 *     an `ETag` header, "the current version of the configuration";
 *   - GetDistribution (`GET /2020-05-31/distribution/{Id}`): the Distribution (Id, ARN, Status,
 *     LastModifiedTime, InProgressInvalidationBatches, DomainName, DistributionConfig) and the same ETag;
 *   - UpdateDistribution (`PUT /2020-05-31/distribution/{Id}/config` with `If-Match`): "the value of the
 *     ETag header that you received when retrieving the distribution's configuration"; a missing one is
 *     InvalidIfMatchVersion, a stale one PreconditionFailed; the CallerReference cannot change
 *     (IllegalUpdate); the new config gets a new ETag and Status `InProgress` until it has propagated
 *     ("Deployed" once the changes have propagated to all edge locations).
 * While a deployment is InProgress some edges still send the previous configuration's headers:
 * `mayBeSent` answers for both.
 */

export class CloudFrontError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface StoredDistribution {
  readonly id: string;
  configBody: string;
  etag: string;
  status: 'InProgress' | 'Deployed';
  lastModified: Date;
  /** The configuration edges served before the deployment in progress; undefined once Deployed. */
  previousBody?: string;
  /** GetDistribution answers still to say InProgress before the deployment finishes on its own. */
  readsUntilDeployed: number;
}

export interface CloudFrontAnswer {
  readonly status: number;
  readonly body: string;
  readonly etag?: string;
}

export interface CloudFrontCall {
  readonly action: string;
  readonly id: string;
}

const ACCOUNT = '123456789012';

export class CloudFrontService {
  readonly distributions = new Map<string, StoredDistribution>();
  readonly calls: CloudFrontCall[] = [];
  /** Told the distribution's id after every change of what its edges may send. */
  readonly listeners: Array<(id: string) => void> = [];
  /**
   * How many GetDistribution reads a deployment answers InProgress before it finishes; `Infinity`
   * holds every deployment InProgress until `finishDeployment` (a test's pause point).
   */
  deploymentReads = 1;

  seed(id: string, origins: readonly SeedOrigin[]): void {
    this.distributions.set(id, {
      id,
      configBody: distributionConfigBody(`cfguard-${id}`, origins),
      etag: newEtag(),
      status: 'Deployed',
      lastModified: new Date(Date.UTC(2026, 0, 1)),
      readsUntilDeployed: 0,
    });
  }

  getDistributionConfig(id: string): CloudFrontAnswer {
    this.calls.push({ action: 'GetDistributionConfig', id });
    const d = this.find(id);
    return { status: 200, body: document('DistributionConfig', d.configBody), etag: d.etag };
  }

  getDistribution(id: string): CloudFrontAnswer {
    this.calls.push({ action: 'GetDistribution', id });
    const d = this.find(id);
    const answer = { status: 200, body: document('Distribution', distributionBody(d)), etag: d.etag };
    if (d.status === 'InProgress' && --d.readsUntilDeployed <= 0) this.finishDeployment(id);
    return answer;
  }

  updateDistribution(id: string, ifMatch: string | undefined, body: string): CloudFrontAnswer {
    this.calls.push({ action: 'UpdateDistribution', id });
    const d = this.find(id);
    if (!ifMatch) throw new CloudFrontError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
    if (ifMatch !== d.etag) throw new CloudFrontError('PreconditionFailed', "The request failed because it didn't meet the preconditions in one or more request-header fields.", 412);
    const inner = /<DistributionConfig[^>]*>([\s\S]*)<\/DistributionConfig>/.exec(body)?.[1];
    if (inner === undefined) throw new CloudFrontError('MalformedInput', 'The request body must be a DistributionConfig document.', 400);
    if (textOf(inner, 'CallerReference') !== textOf(d.configBody, 'CallerReference'))
      throw new CloudFrontError('IllegalUpdate', 'The update contains modifications that are not allowed: CallerReference cannot change.', 400);
    const inconsistent = inconsistentList(inner);
    if (inconsistent) throw new CloudFrontError('InconsistentQuantities', `The value of Quantity and the size of Items don't match (${inconsistent}).`, 400);
    this.deploy(d, inner);
    return { status: 200, body: document('Distribution', distributionBody(d)), etag: d.etag };
  }

  /** A deploy made outside the API calls under test (a console edit, another terraform run). */
  setOriginHeader(id: string, originId: string, name: string, value: string): void {
    const d = this.find(id);
    this.deploy(d, withOriginHeader(d.configBody, originId, name, value));
  }

  finishDeployment(id: string): void {
    const d = this.find(id);
    const changed = d.status !== 'Deployed';
    d.status = 'Deployed';
    d.previousBody = undefined;
    d.readsUntilDeployed = 0;
    if (changed) for (const l of this.listeners) l(id);
  }

  /** Every header value some edge may send now: the new configuration's, and while InProgress the previous one's. */
  mayBeSent(id: string, headerName: string): string[] {
    const d = this.find(id);
    const values = [d.configBody, ...(d.previousBody ? [d.previousBody] : [])].flatMap((body) => headerValues(originHeadersOf(body), headerName));
    return [...new Set(values)];
  }

  originHeaders(id: string): OriginHeaders[] {
    return originHeadersOf(this.find(id).configBody);
  }

  private deploy(d: StoredDistribution, body: string): void {
    // Edges that have not yet taken the deployment in progress still serve the one before it.
    d.previousBody = d.status === 'InProgress' ? d.previousBody : d.configBody;
    d.configBody = body;
    d.etag = newEtag();
    d.status = 'InProgress';
    d.lastModified = new Date(d.lastModified.getTime() + 60_000);
    d.readsUntilDeployed = this.deploymentReads;
    for (const l of this.listeners) l(d.id);
  }

  private find(id: string): StoredDistribution {
    const d = this.distributions.get(id);
    if (!d) throw new CloudFrontError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
    return d;
  }
}

function headerValues(origins: readonly OriginHeaders[], headerName: string): string[] {
  return origins.flatMap((o) => o.headers.filter((h) => h.name.toLowerCase() === headerName.toLowerCase()).map((h) => h.value));
}

/** ETags look like `E2QWRUHAPOMQZL`. */
function newEtag(): string {
  return `E${randomBytes(8).toString('hex').toUpperCase().slice(0, 13)}`;
}

function distributionBody(d: StoredDistribution): string {
  const el = (n: string, v: string | number) => `<${n}>${v}</${n}>`;
  return (
    `${el('Id', d.id)}${el('ARN', `arn:aws:cloudfront::${ACCOUNT}:distribution/${d.id}`)}${el('Status', d.status)}${el('LastModifiedTime', d.lastModified.toISOString())}` +
    `${el('InProgressInvalidationBatches', 0)}${el('DomainName', `${d.id.toLowerCase()}.cloudfront.net`)}` +
    `<ActiveTrustedSigners>${el('Enabled', 'false')}${el('Quantity', 0)}</ActiveTrustedSigners><ActiveTrustedKeyGroups>${el('Enabled', 'false')}${el('Quantity', 0)}</ActiveTrustedKeyGroups>` +
    `<DistributionConfig>${d.configBody}</DistributionConfig>`
  );
}
