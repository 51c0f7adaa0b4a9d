/** The config file's AWS id fields, one schema each, shared by the primary origin and `secondaryOrigin`. */
import { z } from 'zod';

export const securityGroupIdSchema = z.string().regex(/^sg-[0-9a-f]{8,17}$/, "must look like 'sg-0123456789abcdef0'");

/** `elasticIp`: adopt an existing allocation instead of allocating one. */
export const elasticIpSchema = z
  .object({
    allocationId: z
      .string()
      .regex(/^eipalloc-[0-9a-f]{8,17}$/, "must look like 'eipalloc-0123456789abcdef0'")
      .optional(),
  })
  .strict();
