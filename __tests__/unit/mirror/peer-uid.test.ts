// The client's uid from the kernel's socket tables, read from text as the kernel writes it
// (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c: addresses as %08X words, ports as %04X).
import { describe, expect, test } from '@jest/globals';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { admitByUid } from '../../../src/mirror/admit.js';
import { kernelHex, peerUid, sharedReads, uidInTable } from '../../../src/mirror/peer-uid.js';

const HEAD =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (sl: number, local: string, rem: string, st: string, uid: number, inode: number) =>
  `${String(sl).padStart(4)}: ${local} ${rem} ${st} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 20 4 30 10 -1\n`;

// The mirror listens on 127.0.0.1:40000 (9C40); clients connect from 50000.. (C350..).
const TCP =
  HEAD +
  row(0, '0100007F:9C40', '00000000:0000', '0A', 1001, 31001) +
  row(1, '0100007F:C350', '0100007F:9C40', '01', 0, 31002) + // dockerd
  row(2, '0100007F:9C40', '0100007F:C350', '01', 1001, 31003) + // our end of it
  row(3, '0100007F:C351', '0100007F:9C40', '01', 65534, 31004) + // another user
  row(4, '0100007F:C352', '0100007F:9C40', '06', 0, 0) + // time-wait: listed as uid 0
  row(5, '0100007F:C354', '0100007F:9C40', '05', 0, 0); // orphaned after close
const HEAD6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const MAPPED = '0000000000000000FFFF00000100007F';
const TCP6 =
  HEAD6 +
  row(0, `${MAPPED}:C353`, `${MAPPED}:9C40`, '01', 0, 32001) + // a dual-stack client, v4-mapped
  row(1, `${MAPPED}:C355`, `${MAPPED}:9C40`, '01', 1002, 32002);

const files: Record<string, string> = { '/proc/net/tcp': TCP, '/proc/net/tcp6': TCP6 };
const reads: string[] = [];
const read = async (file: string) => {
  reads.push(file);
  if (!(file in files)) throw new Error(`ENOENT: ${file}`);
  return files[file];
};
const conn = (remotePort: number, remoteAddress = '127.0.0.1', localAddress = '127.0.0.1') => ({
  remoteAddress,
  remotePort,
  localAddress,
  localPort: 40000,
});

describe('kernelHex', () => {
  test('each 32-bit word as the machine stores it', () => {
    expect(kernelHex([127, 0, 0, 1], true)).toBe('0100007F');
    expect(kernelHex([127, 0, 0, 1], false)).toBe('7F000001');
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
    expect(kernelHex(mapped, true)).toBe(MAPPED);
  });
});

describe('uidInTable', () => {
  test('the live socket whose local is the peer and remote is us', () => {
    expect(uidInTable(TCP, '0100007F:C350', '0100007F:9C40')).toBe(0);
    expect(uidInTable(TCP, '0100007F:C351', '0100007F:9C40')).toBe(65534);
    expect(uidInTable(TCP, '0100007F:9C40', '0100007F:C350')).toBe(1001);
  });

  test('a closed client (time-wait or orphan: uid 0, inode 0) and an unknown pair count for nothing', () => {
    expect(uidInTable(TCP, '0100007F:C352', '0100007F:9C40')).toBeUndefined();
    expect(uidInTable(TCP, '0100007F:C354', '0100007F:9C40')).toBeUndefined();
    expect(uidInTable(TCP, '0100007F:FFFF', '0100007F:9C40')).toBeUndefined();
  });
});

describe('peerUid', () => {
  test('IPv4: found in /proc/net/tcp', async () => {
    expect((await peerUid(conn(50000), read, true)).uid).toBe(0);
    expect((await peerUid(conn(50001), read, true)).uid).toBe(65534);
  });

  test('a v4-mapped dual-stack client: found in /proc/net/tcp6, also when node reports ::ffff:', async () => {
    expect(await peerUid(conn(50003), read, true)).toEqual({
      uid: 0,
      read: ['/proc/net/tcp', '/proc/net/tcp6'],
    });
    const both = conn(50005, '::ffff:127.0.0.1', '::ffff:127.0.0.1');
    expect((await peerUid(both, read, true)).uid).toBe(1002);
  });

  test('a big-endian machine spells the same addresses the other way round', async () => {
    const be = { '/proc/net/tcp': TCP.replaceAll('0100007F', '7F000001') };
    const readBe = async (file: string) => be[file as keyof typeof be] ?? HEAD6;
    expect((await peerUid(conn(50001), readBe, false)).uid).toBe(65534);
  });
});

describe('admitByUid', () => {
  const admit = () => admitByUid({ allowed: [0, 1001], read, littleEndian: true });

  test('root and the allowed user in; another user, a closed client and an unreadable table out', async () => {
    const check = admit();
    expect(await check(conn(50000))).toBeUndefined();
    expect(await check(conn(50001))).toBe("uid 65534 is not the Docker daemon's");
    expect(await check(conn(50002))).toMatch(/^no live socket of 127\.0\.0\.1:50002 in/);
    const blind = admitByUid({ allowed: [0], read: () => Promise.reject(new Error('EACCES')) });
    expect(await blind(conn(50000))).toBe('cannot tell who connected (EACCES)');
  });

  test('one look per connection', async () => {
    const check = admit();
    const socket = conn(50000);
    reads.length = 0;
    await Promise.all([check(socket), check(socket), check(socket)]);
    expect(reads).toEqual(['/proc/net/tcp']);
  });
});

const linux = process.platform === 'linux' && existsSync('/proc/net/tcp');
(linux ? test : test.skip)('a real loopback connection: the kernel names our own uid', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [socket] = await accepted;
  try {
    const found = await peerUid(socket, (file) => readFile(file, 'latin1'));
    expect(found.uid).toBe(process.getuid?.());
  } finally {
    client.destroy();
    socket.destroy();
    server.close();
  }
});

describe('sharedReads', () => {
  test('callers during a read share the next one; a caller never gets a read that began before it', async () => {
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const shared = sharedReads(
      (file) =>
        new Promise<string>((resolve) => {
          started.push(started.length);
          finish.push(() => resolve(`${file} #${started.length}`));
        }),
    );
    const first = shared('/proc/net/tcp');
    const later = [shared('/proc/net/tcp'), shared('/proc/net/tcp'), shared('/proc/net/tcp')];
    expect(started).toHaveLength(1);
    finish[0]();
    expect(await first).toBe('/proc/net/tcp #1');
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2);
    finish[1]();
    expect(await Promise.all(later)).toEqual(Array(3).fill('/proc/net/tcp #2'));
  });
});
