/** How many times the shell's SDK clients try a call; standard retry mode backs off on throttling and 5xx. */
export const SDK_MAX_ATTEMPTS = 5;

/** The settings every SDK client the shell opens shares (EC2, SSM, CloudFront): the retry policy, and each override only when given. */
export function sdkClientConfig<Credentials>(o: { readonly region: string; readonly endpoint?: string; readonly credentials?: Credentials; readonly userAgentAppId?: string }) {
  return {
    region: o.region,
    maxAttempts: SDK_MAX_ATTEMPTS,
    retryMode: 'standard' as const,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.userAgentAppId ? { userAgentAppId: o.userAgentAppId } : {}),
  };
}
