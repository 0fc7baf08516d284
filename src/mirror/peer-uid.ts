// Who is on the other end of a loopback connection: the kernel lists every TCP socket of our
// network namespace in /proc/net/tcp and /proc/net/tcp6 with its owner's uid. The client's socket
// is the row whose local address is our remote one and whose remote address is our local one.
import os from 'node:os';

export type ReadProcFile = (path: string) => Promise<string>;

export interface Endpoints {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
}

/** What the table says of the client's socket; `uid` undefined when no live socket matches. */
export interface PeerLookup {
  uid?: number;
  /** Which files were read (for the refusal's reason). */
  read: string[];
}

const ESTABLISHED = '01';

/** 16 bytes of an IPv6 address (`::1`, `::ffff:127.0.0.1`), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string) => (part ? part.split(':') : []);
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.length !== 8 || all.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return undefined;
  return all.flatMap((w) => [parseInt(w, 16) >> 8, parseInt(w, 16) & 0xff]);
}

/**
 * An address as the kernel prints it: each 32-bit word as one %08X number, so on a
 * little-endian machine the bytes of each word come out reversed.
 */
export function kernelHex(bytes: number[], littleEndian: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.slice(i, i + 4);
    if (littleEndian) word.reverse();
    out += word.map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return out.toUpperCase();
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The files and address spellings a connection can be listed under. */
function candidates(address: string): { file: string; bytes: number[] }[] {
  const plain = /^\d+\.\d+\.\d+\.\d+$/.test(address)
    ? address
    : /^::ffff:([\d.]+)$/i.exec(address)?.[1];
  const v4 = plain?.split('.').map(Number);
  const v6 = ipv6Bytes(plain ? `::ffff:${plain}` : address);
  return [
    ...(v4 ? [{ file: '/proc/net/tcp', bytes: v4 }] : []),
    ...(v6 ? [{ file: '/proc/net/tcp6', bytes: v6 }] : []),
  ];
}

/**
 * The owner of the live socket listed as `local remote` in a /proc/net/tcp* text. Only a socket
 * still ESTABLISHED and held by a process (inode not 0) counts: a closed client's leftover
 * (an orphan, or a time-wait entry, which the kernel lists with uid 0) never does.
 */
export function uidInTable(text: string, local: string, remote: string): number | undefined {
  const at = text.indexOf(` ${local} ${remote} `);
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at);
  const fields = text
    .slice(at, end < 0 ? undefined : end)
    .trim()
    .split(/\s+/);
  // local rem st tx:rx tr:when retrnsmt uid timeout inode
  const [, , state, , , , uid, , inode] = fields;
  if (state !== ESTABLISHED || !inode || inode === '0' || !/^\d+$/.test(uid ?? '')) {
    return undefined;
  }
  return Number(uid);
}

/** The uid owning the client end of a loopback connection, from the kernel's socket tables. */
export async function peerUid(
  socket: Endpoints,
  read: ReadProcFile,
  littleEndian = os.endianness() === 'LE',
): Promise<PeerLookup> {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  const lookup: PeerLookup = { read: [] };
  if (!remoteAddress || !localAddress || !remotePort || !localPort) return lookup;
  const ours = new Map(candidates(localAddress).map((c) => [c.file, c.bytes]));
  for (const peer of candidates(remoteAddress)) {
    const local = ours.get(peer.file);
    if (!local) continue;
    lookup.read.push(peer.file);
    const text = await read(peer.file);
    lookup.uid = uidInTable(
      text,
      `${kernelHex(peer.bytes, littleEndian)}:${hexPort(remotePort)}`,
      `${kernelHex(local, littleEndian)}:${hexPort(localPort)}`,
    );
    if (lookup.uid !== undefined) return lookup;
  }
  return lookup;
}

/**
 * Lookups at the same time share one read per file (a read walks the kernel's whole hash table,
 * so it costs milliseconds whatever is open): a caller waits for the next read that starts after
 * its call, which lists every socket accepted before it.
 */
export function sharedReads(read: ReadProcFile): ReadProcFile {
  const running = new Map<string, Promise<string>>();
  const queued = new Map<string, Promise<string>>();
  const start = (file: string) => {
    queued.delete(file);
    const reading: Promise<string> = read(file).finally(() => {
      if (running.get(file) === reading) running.delete(file);
    });
    running.set(file, reading);
    return reading;
  };
  return (file) => {
    const waiting = queued.get(file);
    if (waiting) return waiting;
    const prior = running.get(file);
    if (!prior) return start(file);
    const next = prior.then(
      () => start(file),
      () => start(file),
    );
    queued.set(file, next);
    return next;
  };
}
