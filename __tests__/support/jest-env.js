// Tests never reach AWS: fixed dummy credentials, no shared config lookups, no IMDS.
process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTESTTEST';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
process.env.AWS_REGION = process.env.AWS_REGION || 'eu-north-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
// The SDK warns that releases after January 2027 need Node 22; these machines run Node 20 and the Lambda runs 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
