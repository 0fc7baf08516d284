import { describe, expect, test } from '@jest/globals';
import { findDaemon, isMirrorProcess, type ProcFs } from '../../../src/mirror/daemon-process.js';

const procs = (table: Record<number, string[]>): ProcFs => ({
  pids: () => Object.keys(table).map(Number),
  cmdline: (pid) => table[pid],
});

describe('findDaemon: the dockerd behind our socket, and its config file', () => {
  test('systemd: -H fd:// serves the default socket; no --config-file means /etc/docker/daemon.json', () => {
    const proc = procs({
      1: ['/sbin/init'],
      812: ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'],
    });
    expect(findDaemon('/var/run/docker.sock', proc)).toEqual({
      pid: 812,
      configFile: '/etc/docker/daemon.json',
    });
  });

  test.each([
    [['dockerd', '--config-file', '/srv/d.json', '--host', 'unix:///tmp/d.sock']],
    [['/usr/sbin/dockerd', '--config-file=/srv/d.json', '-H=unix:///tmp/d.sock']],
  ])('--config-file and --host in either form: %j', (argv) => {
    expect(findDaemon('/tmp/d.sock', procs({ 7: argv }))).toEqual({
      pid: 7,
      configFile: '/srv/d.json',
    });
  });

  test('several daemons (side-by-side sandboxes): the one on our socket', () => {
    const proc = procs({
      10: [
        '/usr/sbin/dockerd',
        '--host',
        'unix:///a/docker.sock',
        '--config-file',
        '/a/daemon.json',
      ],
      11: [
        '/usr/sbin/dockerd',
        '--host',
        'unix:///b/docker.sock',
        '--config-file',
        '/b/daemon.json',
      ],
    });
    expect(findDaemon('/b/docker.sock', proc)).toEqual({ pid: 11, configFile: '/b/daemon.json' });
    expect(findDaemon('/var/run/docker.sock', proc)).toBeUndefined();
  });

  test('no dockerd here (remote, rootless under another name, or stopped): undefined', () => {
    const proc = procs({
      5: ['containerd'],
      6: ['/usr/bin/dockerd-rootless.sh'],
      8: ['/bin/sh', '-c', 'dockerd'],
    });
    expect(findDaemon('/var/run/docker.sock', proc)).toBeUndefined();
  });
});

test('isMirrorProcess tells our mirror from a process that reused its pid', () => {
  const proc = procs({
    20: ['/opt/node', '/w/_actions/ecr-public-login/dist/mirror/index.js', 'serve', '{}'],
    21: ['/opt/node', '/w/other/index.js', 'serve'],
  });
  expect(isMirrorProcess(20, proc)).toBe(true);
  expect(isMirrorProcess(21, proc)).toBe(false);
  expect(isMirrorProcess(22, proc)).toBe(false);
  expect(isMirrorProcess(0, proc)).toBe(false);
});
