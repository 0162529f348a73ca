import { DomainError } from '../../domain';
import { StampMime } from './seller.records';

/** A stamp is printed a few centimetres wide: more pixels than this is not a stamp scan. */
const MAX_SIDE = 4000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk, which must come first. */
function pngSize(image: Buffer): { width: number; height: number } | undefined {
  if (image.length < 33 || !image.subarray(0, 8).equals(PNG_SIGNATURE) || image.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: image.readUInt32BE(16), height: image.readUInt32BE(20) };
}

/** Width and height from the first start-of-frame marker, walking the JPEG's segments from SOI. */
function jpegSize(image: Buffer): { width: number; height: number } | undefined {
  if (image.length < 4 || image[0] !== 0xff || image[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 < image.length) {
    if (image[offset] !== 0xff) return undefined;
    const marker = image[offset + 1];
    const length = image.readUInt16BE(offset + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: image.readUInt16BE(offset + 5), width: image.readUInt16BE(offset + 7) };
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

/** The stamp's type, read from its bytes (never from the name or the declared type), or a 400 saying what is wanted. */
export function checkStampImage(image: Buffer): StampMime {
  const png = pngSize(image);
  const size = png ?? jpegSize(image);
  const valid = size && size.width > 0 && size.height > 0 && size.width <= MAX_SIDE && size.height <= MAX_SIDE;
  if (!valid) {
    throw new DomainError('invalid', 'SELLER.STAMP_NOT_IMAGE', `the stamp must be a PNG or JPEG image of at most ${MAX_SIDE}×${MAX_SIDE} pixels`, [
      { field: 'file', code: 'SELLER.STAMP_NOT_IMAGE', message: 'a PNG or JPEG image' },
    ]);
  }
  return png ? 'image/png' : 'image/jpeg';
}
