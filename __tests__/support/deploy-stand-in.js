/*
 * A deploy for the rotation tests, doing to the emulated CloudFront what `cdktf deploy` does to the
 * real one: reads originSecret.secretVersion from ./cfguard.config.json, reads that version of the
 * parameter from SSM, and updates the distribution's origin header (GetDistributionConfig, then
 * UpdateDistribution with its ETag as If-Match), then waits until it is Deployed, as terraform's
 * wait_for_deployment does. The mode is the test's hook:
 *   switch        the deploy above, exit 0;
 *   fail          exit 3 before touching CloudFront (a failed plan, a lost lock);
 *   fail-after    the deploy above, then exit 4 (a later resource failed);
 *   no-op         exit 0 without touching CloudFront (it deployed another stack).
 * Usage: node deploy-stand-in.js <mode> <cloudfront endpoint> <ssm endpoint> <distribution id> <parameter> <origin id> <header name>
 */
const { readFileSync } = require('node:fs');
const { CloudFrontClient, GetDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand } = require('@aws-sdk/client-cloudfront');
const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');

async function main() {
  const [mode, cloudfrontEndpoint, ssmEndpoint, distributionId, parameter, originId, headerName] = process.argv.slice(2);
  if (mode === 'fail') process.exit(3);
  if (mode === 'no-op') return;
  const credentials = { accessKeyId: 'AKIDDEPLOY000000000', secretAccessKey: 'deploy-secret' };
  const version = JSON.parse(readFileSync('cfguard.config.json', 'utf8')).originSecret?.secretVersion ?? 1;
  const ssm = new SSMClient({ endpoint: ssmEndpoint, region: 'eu-north-1', credentials });
  const got = await ssm.send(new GetParameterCommand({ Name: `${parameter}:${version}`, WithDecryption: true }));
  const secret = JSON.parse(got.Parameter.Value).current;
  const cf = new CloudFrontClient({ endpoint: cloudfrontEndpoint, region: 'us-east-1', credentials });
  const { DistributionConfig: config, ETag } = await cf.send(new GetDistributionConfigCommand({ Id: distributionId }));
  for (const origin of config.Origins.Items) {
    if (origin.Id !== originId) continue;
    const kept = (origin.CustomHeaders?.Items ?? []).filter((h) => h.HeaderName.toLowerCase() !== headerName.toLowerCase());
    const items = [...kept, { HeaderName: headerName, HeaderValue: secret }];
    origin.CustomHeaders = { Quantity: items.length, Items: items };
  }
  await cf.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: ETag, DistributionConfig: config }));
  while ((await cf.send(new GetDistributionCommand({ Id: distributionId }))).Distribution.Status !== 'Deployed');
  ssm.destroy();
  cf.destroy();
  if (mode === 'fail-after') process.exit(4);
}

main().catch((e) => {
  process.stderr.write(`deploy stand-in: ${e.name}: ${e.message}\n`);
  process.exit(1);
});
