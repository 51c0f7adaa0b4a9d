export { startSsmEmulator, type SsmEmulator } from './emulator';
export { SsmService, SsmError, MAX_VERSIONS_KEPT } from './service';
