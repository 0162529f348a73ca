import { randomInt } from 'node:crypto';
import { RandomSource } from '../../domain/invoice/random-number';

/** The real random port: the invoice random number must not be guessable (it unlocks the invoice online). */
export const cryptoRandomSource: RandomSource = { randomInt: (maxExclusive) => randomInt(maxExclusive) };
