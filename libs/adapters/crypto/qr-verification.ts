import { createCipheriv, createDecipheriv } from 'node:crypto';

/** The MOF's fixed IV for the QR code's verification field. */
const QR_IV = Buffer.from('Dt8lyToo17X/XkXaQvihuA==', 'base64');
const KEY_HEX = /^[0-9A-Fa-f]{32}$/;

function keyOf(keyHex: string): Buffer {
  if (!KEY_HEX.test(keyHex)) throw new RangeError('the QR code AES key is 32 hexadecimal digits (AES-128)');
  return Buffer.from(keyHex, 'hex');
}

/**
 * The left QR code's verification (加密驗證資訊, 24 characters): Base64 of AES-128-CBC with PKCS7 padding of the
 * invoice number and random number, under the seller's key (the 32 hex digits the MOF derives from its 密碼種子).
 */
export function qrVerification(keyHex: string, invoiceNumber: string, randomNumber: string): string {
  const cipher = createCipheriv('aes-128-cbc', keyOf(keyHex), QR_IV);
  return Buffer.concat([cipher.update(`${invoiceNumber}${randomNumber}`, 'utf8'), cipher.final()]).toString('base64');
}

/** The inverse, as the MOF's app and tax office read it: number + random number. */
export function openQrVerification(keyHex: string, verification: string): string {
  const decipher = createDecipheriv('aes-128-cbc', keyOf(keyHex), QR_IV);
  return Buffer.concat([decipher.update(Buffer.from(verification, 'base64')), decipher.final()]).toString('utf8');
}
