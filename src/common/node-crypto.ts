// node:crypto, required on first use: its load (~4 ms) is a sixth of the post step, which on its
// plain path needs no hash (clients/auth-file.ts), and main's first request needs none either.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded: typeof import('node:crypto') | undefined;
const nodeCrypto = () => (loaded ??= require('node:crypto') as typeof import('node:crypto'));

export const sha256Hex = (data: string | Buffer): string =>
  nodeCrypto().createHash('sha256').update(data).digest('hex');

export const hmacSha256 = (key: string | Buffer, data: string): Buffer =>
  nodeCrypto().createHmac('sha256', key).update(data).digest();

export const randomHex = (bytes: number): string => nodeCrypto().randomBytes(bytes).toString('hex');

export const randomUUID = (): string => nodeCrypto().randomUUID();
