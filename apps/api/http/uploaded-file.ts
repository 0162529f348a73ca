import { DomainError } from '../../../libs/domain';

/** The multipart field `file`, or a 400 that tells the caller which file belongs there. */
export function requireUpload(file: Express.Multer.File | undefined, what: string): Express.Multer.File {
  if (!file) {
    throw new DomainError('invalid', 'FILE.MISSING', `send ${what} as multipart field "file"`, [
      { field: 'file', code: 'FILE.MISSING', message: 'required' },
    ]);
  }
  return file;
}
