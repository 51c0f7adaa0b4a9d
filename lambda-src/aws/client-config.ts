/** How many times the shell's SDK clients try a call; standard retry mode backs off on throttling and 5xx. */
export const SDK_MAX_ATTEMPTS = 5;

export interface SdkClientOptions<Credentials> {
  readonly region: string;
  /** An endpoint override (the emulator in tests). @default - the service's AWS_ENDPOINT_URL_* variable, else AWS */
  readonly endpoint?: string;
  /** @default - the SDK's standard credential chain */
  readonly credentials?: Credentials;
  /** Sent in the User-Agent as `app/<id>` (the CLI names its command). @default - none */
  readonly userAgentAppId?: string;
}

/** The settings every SDK client the shell opens shares (EC2, SSM, CloudFront): the retry policy, and each override only when given. */
export function sdkClientConfig<Credentials>(o: SdkClientOptions<Credentials>) {
  return {
    region: o.region,
    maxAttempts: SDK_MAX_ATTEMPTS,
    retryMode: 'standard' as const,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.userAgentAppId ? { userAgentAppId: o.userAgentAppId } : {}),
  };
}
