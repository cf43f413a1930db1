// Entry of the live-state daemon, started detached by `labs verify --keep` (see client.ts).
// Arguments: <lab folder> <working directory of the command>. It reports once over IPC.
import { serveLab, type DaemonHello } from './daemon.ts';

const [labDir, cwd] = process.argv.slice(2);
const hello = (h: DaemonHello) => {
  if (!process.connected) return;
  process.send?.(h);
  process.disconnect();
  if ('error' in h) process.exitCode = h.status;
};
process.on('uncaughtException', (e) => {
  hello({ error: `the live-state daemon failed: ${e.message}`, status: 2 });
  process.exit(2);
});
await serveLab(labDir!, cwd!, hello);
