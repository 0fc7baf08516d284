// Who may pull through the mirror: the daemon, not every local user. A rootful dockerd is root;
// the job's own user already holds the credentials (its docker config), so it is let in too.
// The check runs once per connection (the daemon keeps its connections open).
import { peerUid, type Endpoints, type ReadProcFile } from './peer-uid.js';

/** Why a connection is refused; undefined when it is let in. */
export type Admit = (socket: Endpoints) => Promise<string | undefined>;

export interface AdmitOptions {
  /** uids let in: root and the mirror's own user. */
  allowed: number[];
  read: ReadProcFile;
  littleEndian?: boolean;
}

export function admitByUid(o: AdmitOptions): Admit {
  const verdicts = new WeakMap<Endpoints, Promise<string | undefined>>();
  const decide = async (socket: Endpoints): Promise<string | undefined> => {
    try {
      const { uid, read } = await peerUid(socket, o.read, o.littleEndian);
      if (uid === undefined) {
        return `no live socket of ${socket.remoteAddress}:${socket.remotePort} in ${read.join(', ') || 'the socket tables'}`;
      }
      return o.allowed.includes(uid) ? undefined : `uid ${uid} is not the Docker daemon's`;
    } catch (error) {
      // Without the socket tables nobody can be told apart: refuse rather than serve anyone.
      return `cannot tell who connected (${(error as Error).message})`;
    }
  };
  return (socket) => {
    let verdict = verdicts.get(socket);
    if (!verdict) verdicts.set(socket, (verdict = decide(socket)));
    return verdict;
  };
}
