import { expect, test } from '@jest/globals';
import { hmacSha256, randomHex, randomUUID, sha256Hex } from '../../../src/common/node-crypto.js';

test('sha256Hex: FIPS 180-2 test vectors', () => {
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  expect(sha256Hex(Buffer.from(''))).toBe(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('hmacSha256: RFC 4231 test case 2', () => {
  expect(hmacSha256('Jefe', 'what do ya want for nothing?').toString('hex')).toBe(
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
});

test('randomHex and randomUUID: fresh values of the asked shape', () => {
  expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  expect(randomHex(8)).not.toBe(randomHex(8));
  expect(randomUUID()).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});
