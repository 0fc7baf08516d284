// What the peer check costs per connection with many sockets open (the tables are read whole).
// Skipped unless asked: MIRROR_BENCH=1 npm run test:unit -- __tests__/unit/mirror/peer-uid.bench
import { expect, test } from '@jest/globals';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { peerUid, sharedReads, type ReadProcFile } from '../../../src/mirror/peer-uid.js';

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

/** µs per connection: one after the other, or all at once through shared reads. */
async function costUs(sockets: net.Socket[], samples: number, together = false) {
  const picked = Array.from({ length: samples }, (_, i) => sockets[(i * 7919) % sockets.length]);
  const check = async (socket: net.Socket, reader: ReadProcFile) =>
    expect((await peerUid(socket, reader)).uid).toBe(process.getuid?.());
  const t0 = process.hrtime.bigint();
  if (together) {
    const shared = sharedReads(read);
    await Promise.all(picked.map((s) => check(s, shared)));
  } else {
    for (const socket of picked) await check(socket, read);
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
      const us = await costUs(accepted, 100);
      const burst = await costUs(accepted, 100, true);
      const rowsInTable = (await read('/proc/net/tcp')).split('\n').length - 2;
      rows.push(
        `${count} open (${rowsInTable} rows): ${us.toFixed(0)} µs each, ${burst.toFixed(0)} µs each in a burst of 100`,
      );
      for (const s of [...accepted, ...clients]) s.destroy();
      server.close();
    }
    process.stdout.write(`peer check per connection:\n${rows.join('\n')}\n`);
  },
  120_000,
);
