/**
 * An EC2 API error as the wire carries it: a code the SDK turns into `err.name`, a message,
 * and the HTTP status (400 for client errors, 500/503 for service faults).
 */
export class Ec2ApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number = statusForCode(code),
  ) {
    super(message);
    this.name = 'Ec2ApiError';
  }
}

/** EC2 answers throttling and unavailability with 503, internal faults with 500, the rest with 400. */
export function statusForCode(code: string): number {
  if (code === 'InternalError' || code === 'InternalFailure') return 500;
  if (code === 'RequestLimitExceeded' || code === 'ServiceUnavailable' || code === 'Unavailable') return 503;
  return 400;
}

export function apiError(code: string, message: string): Ec2ApiError {
  return new Ec2ApiError(code, message);
}

export function missingParameter(name: string): Ec2ApiError {
  return apiError('MissingParameter', `The request must contain the parameter ${name}`);
}

export function invalidValue(name: string, value: string, why: string): Ec2ApiError {
  return apiError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. ${why}`);
}
