import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Loopback listeners for the TCP reachability probe: one that accepts, a port where nothing listens
 * (refused), and one that never answers: a child process listening with a backlog of 1, stopped with
 * SIGSTOP, whose queue is filled first, so the kernel drops further SYNs as a security group does.
 */

export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

export async function acceptingListener(): Promise<Listener> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port that was just free: connecting to it is refused. */
export async function refusingPort(): Promise<number> {
  const l = await acceptingListener();
  await l.close();
  return l.port;
}

export async function silentListener(): Promise<Listener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>console.log(s.address().port))"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('error', reject);
  });
  process.kill(child.pid!, 'SIGSTOP');
  // Fill the accept queue (backlog 1 admits about two completed handshakes); later SYNs are dropped.
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      process.kill(child.pid!, 'SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
