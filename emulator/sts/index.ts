import { escapeXml } from '../ec2/xml';
import { OWNER_ID } from '../ec2/state';
import { startLoopbackServer, type LoopbackServer, type WireAnswer } from '../loopback-server';

/*
 * STS in its real wire protocol (AWS Query, XML): POST / with Action=GetCallerIdentity&Version=2011-06-15.
 * The one call `cfguard preflight` makes. The account is the EC2 emulator's owner by default.
 */

export interface StsEmulatorOptions {
  /** @default the EC2 emulator's account, 123456789012 */
  readonly accountId?: string;
  /** @default arn:aws:iam::<account>:user/operator */
  readonly arn?: string;
  /** Answer every call with this error code (e.g. ExpiredToken, InvalidClientTokenId). @default - none */
  readonly failWith?: string;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function error(code: string, message: string, requestId: string, status = 403): WireAnswer & { action: string } {
  const body = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, contentType: 'text/xml', body, action: '', params: {}, errorCode: code };
}

export function startStsEmulator(opts: StsEmulatorOptions = {}): Promise<LoopbackServer> {
  const account = opts.accountId ?? OWNER_ID;
  const arn = opts.arn ?? `arn:aws:iam::${account}:user/operator`;
  return startLoopbackServer('sts', (req) => {
    const params = Object.fromEntries(new URLSearchParams([req.query.toString(), req.body].filter((s) => s).join('&')));
    const action = params.Action ?? '';
    if (opts.failWith) return { ...error(opts.failWith, `The security token included in the request is invalid (${opts.failWith}).`, req.requestId), action, params };
    if (action !== 'GetCallerIdentity') return { ...error('InvalidAction', `Could not find operation ${action} for version ${params.Version ?? ''}`, req.requestId, 400), action, params };
    const body =
      `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult>` +
      `<Arn>${escapeXml(arn)}</Arn><UserId>AIDAEMULATOR00000000</UserId><Account>${account}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    return { status: 200, contentType: 'text/xml', body, action, params };
  });
}
