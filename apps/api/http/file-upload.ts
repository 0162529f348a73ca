import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor, Type, UseInterceptors, applyDecorators, mixin } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { DomainError } from '../../../libs/domain';
import { refuseNulByte } from './nul-byte.guard';

/**
 * Besides its one file an upload may carry a few short text fields (forms add them; none is read): past these, the
 * body is refused as it streams in rather than buffered.
 */
export const UPLOAD_LIMITS = { files: 1, fields: 8, fieldSize: 64 * 1024, parts: 9 } as const;

const invalid = (code: string, message: string, field: string) => new DomainError('invalid', code, message, [{ field, code, message }]);

/** multer's refusals (by their code) and busboy's (a malformed body) as the API's errors, naming the field. */
function uploadError(error: unknown, maxBytes: number): Error {
  if (!(error instanceof MulterError)) {
    return invalid('REQUEST.MALFORMED_MULTIPART', `the multipart body cannot be read: ${(error as Error).message}`, 'file');
  }
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new HttpException(
        { code: 'REQUEST.TOO_LARGE', message: `the file is too large: at most ${maxBytes} bytes`, details: [{ field: 'file', code: 'REQUEST.TOO_LARGE', message: `at most ${maxBytes} bytes` }] },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    case 'LIMIT_FILE_COUNT':
      return invalid('REQUEST.TOO_MANY_FILES', `send one file, as multipart field "file"`, 'file');
    case 'LIMIT_UNEXPECTED_FILE':
      return invalid('REQUEST.UNEXPECTED_FILE', `a file came as field "${error.field}": send it as multipart field "file"`, error.field ?? 'file');
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
      return invalid('REQUEST.TOO_MANY_PARTS', `an upload carries its file and at most ${UPLOAD_LIMITS.fields} text fields`, error.field ?? 'file');
    case 'LIMIT_FIELD_KEY':
    case 'LIMIT_FIELD_VALUE':
      return invalid('REQUEST.FIELD_TOO_LONG', `a text field of an upload holds at most ${UPLOAD_LIMITS.fieldSize} bytes`, error.field ?? 'file');
    default:
      return invalid('REQUEST.MALFORMED_MULTIPART', `the multipart body cannot be read: ${error.message}`, error.field ?? 'file');
  }
}

function uploadInterceptor(maxBytes: number): Type<NestInterceptor> {
  const single = multer({ storage: multer.memoryStorage(), limits: { ...UPLOAD_LIMITS, fileSize: maxBytes } }).single('file');

  /**
   * Reads the multipart body into memory after the guards (a caller without a key, or with the wrong role, is
   * refused before the body is read); multer reads any refused rest of the body before handing its error on, so the
   * client, still uploading, reads the answer.
   */
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      const request = http.getRequest<Request>();
      await new Promise<void>((resolve, reject) =>
        single(request, http.getResponse<Response>(), (error?: unknown) => (error ? reject(uploadError(error, maxBytes)) : resolve())),
      );
      // The NUL guard ran before the multipart body was read: its text fields are checked here.
      refuseNulByte(request.body, 'body');
      return next.handle();
    }
  }
  return mixin(FileUploadInterceptor);
}

/** A route taking one file as multipart field `file`, of at most `maxBytes`: the interceptor and its OpenAPI shape. */
export function FileUpload(maxBytes: number, description: string): MethodDecorator {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: `${description}; at most ${maxBytes} bytes` } } } }),
    ApiPayloadTooLargeResponse({ description: `REQUEST.TOO_LARGE: the file is larger than ${maxBytes} bytes` }),
    UseInterceptors(uploadInterceptor(maxBytes)),
  );
}
