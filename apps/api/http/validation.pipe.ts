import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from '../../../libs/domain';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      code: `VALIDATION.${rule.toUpperCase()}`,
      message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates request bodies and queries against their DTOs, answering in the API's error shape. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        code: 'VALIDATION',
        message: `invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
        details,
      });
    },
  });
}
