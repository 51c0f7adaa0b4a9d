export { startEc2Emulator } from './emulator';
export type { Ec2Emulator, EmuCall, EmuEni, EmuGroup, EmuRule, EmuWorld, EmulatorOptions, SeedRule } from './types';
