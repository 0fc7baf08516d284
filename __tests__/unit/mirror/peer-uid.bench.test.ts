// What the peer check costs per connection with many sockets open (the tables are read whole).
// Skipped unless asked: MIRROR_BENCH=1 npm run test:unit -- __tests__/unit/mirror/peer-uid.bench
import { expect, test } from '@jest/globals';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { peerUid } from '../../../src/mirror/peer-uid.js';

const read = (file: string) => readFile(file, 'latin1');

async function connections(server: net.Server, count: number) {
  const accepted: net.Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  const port = (server.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, () =>
      net.connect(port, '127.0.0.1'),
    );
    await Promise.all(batch.map((c) => once(c, 'connect')));
    clients.push(...batch);
  }
  while (accepted.length < count) await new Promise((r) => setTimeout(r, 5));
  return { accepted, clients };
}

async function costUs(sockets: net.Socket[], samples: number): Promise<number> {
  const picked = Array.from({ length: samples }, (_, i) => sockets[(i * 7919) % sockets.length]);
  const t0 = process.hrtime.bigint();
  for (const socket of picked) {
    const { uid } = await peerUid(socket, read);
    expect(uid).toBe(process.getuid?.());
  }
  return Number(process.hrtime.bigint() - t0) / 1000 / samples;
}

(process.env.MIRROR_BENCH ? test : test.skip)(
  'µs per connection, by sockets open',
  async () => {
    const rows: string[] = [];
    for (const count of [10, 1000, 5000]) {
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { accepted, clients } = await connections(server, count);
      await costUs(accepted, 20); // warm-up
      const us = await costUs(accepted, 200);
      const rowsInTable = (await read('/proc/net/tcp')).split('\n').length - 2;
      rows.push(`${count} connections (${rowsInTable} rows in /proc/net/tcp): ${us.toFixed(0)} µs`);
      for (const s of [...accepted, ...clients]) s.destroy();
      server.close();
    }
    process.stdout.write(`peer check per connection:\n${rows.join('\n')}\n`);
  },
  120_000,
);
