// @ts-check
// Random identifiers and secrets shaped like the real ones, so length/charset bugs show up in tests.
import { randomBytes, randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/**
 * @param {string} alphabet
 * @param {number} length
 * @returns {string}
 */
export function randomFrom(alphabet, length) {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * Letters and digits only (what ECR passwords and request tokens look like here).
 * @param {number} length
 */
export function randomAlnum(length) {
  return randomFrom(UPPER + LOWER + DIGITS, length);
}

/** `ASIA` + 16 characters from AWS's base32 alphabet: the shape of a temporary access key id. */
export function sessionAccessKeyId() {
  return 'ASIA' + randomFrom(UPPER + '234567', 16);
}

/** `AROA` + 17 characters: the unique id of a role, as in AssumedRoleId. */
export function roleUniqueId() {
  return 'AROA' + randomFrom(UPPER + '234567', 17);
}

/** 40 characters including `/` and `+`, which break naive URL or shell handling. */
export function secretAccessKey() {
  return randomFrom(UPPER + LOWER + DIGITS + '/+', 40);
}

/** A long base64 blob like a real STS session token (several hundred characters, with `/+=`). */
export function sessionToken() {
  return 'IQoJb3JpZ2luX2Vj' + randomBytes(601).toString('base64');
}

/** @param {number} length */
export function randomDigits(length) {
  return String(randomInt(1, 10)) + randomFrom(DIGITS, length - 1);
}

/** @param {number} length */
export function randomHex(length) {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
