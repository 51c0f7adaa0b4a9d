import { escapeXml } from '../ec2/xml';

/*
 * CloudFront's REST-XML documents, API version 2020-05-31: every body is namespaced
 * `http://cloudfront.amazonaws.com/doc/2020-05-31/` (the namespace @aws-sdk/client-cloudfront's
 * protocol settings name), lists are `<Quantity>` plus `<Items>` of named members (`Origin`,
 * `OriginCustomHeader`), and errors are `<ErrorResponse><Error><Type/><Code/><Message/></Error>
 * <RequestId/></ErrorResponse>` (Amazon CloudFront API Reference, "Common Errors"; the SDK's model
 * gives each error's HTTP status: NoSuchDistribution 404, PreconditionFailed 412, the rest 400).
 */

export const CLOUDFRONT_XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

/** One origin as the emulator seeds it: the fields cfguard reads, and a custom origin block. */
export interface SeedOrigin {
  readonly id: string;
  readonly domainName: string;
  /** Header name -> value: the origin's CustomHeaders, in order. */
  readonly customHeaders?: Readonly<Record<string, string>>;
  readonly httpPort?: number;
}

export interface OriginHeaders {
  readonly originId: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

const el = (name: string, value: string | number | boolean) => `<${name}>${escapeXml(String(value))}</${name}>`;

/** `<Quantity>n</Quantity><Items>…</Items>`; CloudFront omits Items when the list is empty. */
function list(name: string, members: readonly string[]): string {
  return `<${name}>${el('Quantity', members.length)}${members.length > 0 ? `<Items>${members.join('')}</Items>` : ''}</${name}>`;
}

function originXml(o: SeedOrigin): string {
  const headers = Object.entries(o.customHeaders ?? {}).map(([name, value]) => `<OriginCustomHeader>${el('HeaderName', name)}${el('HeaderValue', value)}</OriginCustomHeader>`);
  return (
    `<Origin>${el('Id', o.id)}${el('DomainName', o.domainName)}<OriginPath></OriginPath>${list('CustomHeaders', headers)}` +
    `<CustomOriginConfig>${el('HTTPPort', o.httpPort ?? 80)}${el('HTTPSPort', 443)}${el('OriginProtocolPolicy', 'http-only')}` +
    `${list('OriginSslProtocols', [el('SslProtocol', 'TLSv1.2')])}${el('OriginReadTimeout', 30)}${el('OriginKeepaliveTimeout', 5)}</CustomOriginConfig>` +
    `${el('ConnectionAttempts', 3)}${el('ConnectionTimeout', 10)}<OriginShield>${el('Enabled', false)}</OriginShield></Origin>`
  );
}

/** The inside of `<DistributionConfig>`: the members the model requires (CallerReference, Origins, DefaultCacheBehavior, Comment, Enabled) and a few more. */
export function distributionConfigBody(callerReference: string, origins: readonly SeedOrigin[]): string {
  const first = origins[0]?.id ?? '';
  return (
    `${el('CallerReference', callerReference)}${list('Aliases', [])}${el('DefaultRootObject', '')}${list('Origins', origins.map(originXml))}` +
    `<DefaultCacheBehavior>${el('TargetOriginId', first)}${list('TrustedSigners', [])}${el('ViewerProtocolPolicy', 'redirect-to-https')}` +
    `${el('Compress', true)}${el('CachePolicyId', '658327ea-f89d-4fab-a63d-7e88639e58f6')}</DefaultCacheBehavior>` +
    `${el('Comment', 'cloudfront-origin-guard edge')}${el('PriceClass', 'PriceClass_All')}${el('Enabled', true)}${el('HttpVersion', 'http2and3')}${el('IsIPV6Enabled', true)}`
  );
}

export function document(root: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${CLOUDFRONT_XMLNS}">${body}</${root}>`;
}

export function errorDocument(code: string, message: string, requestId: string): string {
  return document('ErrorResponse', `<Error>${el('Type', 'Sender')}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}`);
}

/** The text of the first `<name>` child in `xml`, unescaped; undefined when absent. */
export function textOf(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1]) : undefined;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every `<name>…</name>` block (non-nested names only: Origin, OriginCustomHeader). */
function blocks(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

/** Each origin's CustomHeaders, read off a DistributionConfig body. */
export function originHeadersOf(configBody: string): OriginHeaders[] {
  const origins = /<Origins>([\s\S]*?)<\/Origins>/.exec(configBody)?.[1] ?? '';
  return blocks(origins, 'Origin').map((o) => ({
    originId: textOf(o, 'Id') ?? '',
    headers: blocks(o, 'OriginCustomHeader').map((h) => ({ name: textOf(h, 'HeaderName') ?? '', value: textOf(h, 'HeaderValue') ?? '' })),
  }));
}

/** The body with one origin's header set to `value` (added when the origin lacks it): what a deploy that changes the header writes. */
export function withOriginHeader(configBody: string, originId: string, name: string, value: string): string {
  return configBody.replace(/<Origin>([\s\S]*?)<\/Origin>/g, (whole, inner: string) => {
    if (textOf(inner, 'Id') !== originId) return whole;
    const kept = blocks(inner, 'OriginCustomHeader')
      .map((h) => ({ name: textOf(h, 'HeaderName') ?? '', value: textOf(h, 'HeaderValue') ?? '' }))
      .filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    const headers = [...kept, { name, value }].map((h) => `<OriginCustomHeader>${el('HeaderName', h.name)}${el('HeaderValue', h.value)}</OriginCustomHeader>`);
    return `<Origin>${inner.replace(/<CustomHeaders>[\s\S]*?<\/CustomHeaders>|<CustomHeaders\/>/, list('CustomHeaders', headers))}</Origin>`;
  });
}

/** `<Quantity>` must equal the number of members in every list CloudFront counts (else InconsistentQuantities). */
export function inconsistentList(configBody: string): string | undefined {
  for (const [name, member] of [
    ['Origins', 'Origin'],
    ['CustomHeaders', 'OriginCustomHeader'],
  ] as const) {
    for (const m of configBody.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))) {
      const quantity = Number(textOf(m[1], 'Quantity'));
      const count = blocks(m[1], member).length;
      if (quantity !== count) return `${name}: Quantity ${quantity} but ${count} ${member} items`;
    }
  }
  return undefined;
}
