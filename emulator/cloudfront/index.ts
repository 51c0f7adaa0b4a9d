export { startCloudFrontEmulator, type CloudFrontEmulator } from './emulator';
export { CloudFrontService, CloudFrontError } from './service';
export type { SeedOrigin, OriginHeaders } from './distribution-xml';
