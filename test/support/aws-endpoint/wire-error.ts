// The error a loopback AWS service handler throws; the server renders it in the caller's wire protocol.

/** An AWS service error: the code the SDK surfaces as `error.name`, and the HTTP status AWS sends it with. */
export class AwsWireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsWireError';
  }
}

/** The service families the endpoint speaks, named by their SigV4 signing names. */
export type AwsService = 'ec2' | 'iam' | 'sts' | 'ssm' | 'config' | 'organizations';

/** `Filter.N`-style parameters that are missing. EC2 and the query services say `MissingParameter`. */
export function missingParameter(service: AwsService, name: string): AwsWireError {
  if (service === 'ec2' || service === 'iam' || service === 'sts') {
    return new AwsWireError('MissingParameter', `The request must contain the parameter ${name}`);
  }
  // JSON services validate with the Coral framework, which reports constraint failures this way.
  return new AwsWireError(
    'ValidationException',
    `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
  );
}

/** A numeric page size outside the operation's documented range, worded per service family. */
export function pageSizeOutOfRange(
  service: AwsService,
  name: string,
  value: number,
  min: number,
  max: number,
): AwsWireError {
  if (service === 'ec2') {
    return new AwsWireError(
      'InvalidParameterValue',
      `Value ( ${value} ) for parameter ${lowerFirst(name)} is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
  const constraint = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  const text = `1 validation error detected: Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value ${constraint}`;
  if (service === 'iam' || service === 'sts') return new AwsWireError('ValidationError', text);
  if (service === 'config') return new AwsWireError('InvalidLimitException', text);
  if (service === 'organizations') return new AwsWireError('InvalidInputException', text);
  return new AwsWireError('ValidationException', text);
}

/** A pagination token this endpoint did not issue for this request. */
export function invalidToken(service: AwsService): AwsWireError {
  switch (service) {
    case 'ec2':
      return new AwsWireError(
        'InvalidPaginationToken',
        'The specified pagination token is not valid or is expired.',
      );
    case 'iam':
    case 'sts':
      return new AwsWireError('ValidationError', 'Invalid Marker.');
    case 'config':
      return new AwsWireError('InvalidNextTokenException', 'The nextToken provided is invalid');
    case 'organizations':
      return new AwsWireError('InvalidInputException', 'You specified an invalid value for nextToken.');
    case 'ssm':
      return new AwsWireError('InvalidNextToken', 'The specified token is not valid.');
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
