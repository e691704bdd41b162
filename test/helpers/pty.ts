/**
 * Runs the built bin on a pseudo-terminal of a given width, as an operator's terminal: stdout is a TTY
 * that reports `columns`, stderr goes to a file of its own so only the result is measured.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The child sets the window size on its own terminal before exec, so the CLI never sees another width.
const PTY_RUNNER = `
import fcntl, os, pty, struct, sys, termios
cols, err, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    os.execv(argv[0], argv)
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.buffer.write(out)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

const BIN = new URL('../../bin/glance-cache.js', import.meta.url).pathname;

export interface PtyRun {
  code: number | null;
  /** What the terminal showed, line by line (the pty's CR LF undone). */
  lines: string[];
  stderr: string;
}

/** Asynchronous, so a simulated fleet in the test's own process keeps answering. */
export async function runOnTerminal(columns: number, args: readonly string[], env: Record<string, string> = {}, bin = BIN): Promise<PtyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'glance-cache-pty-'));
  try {
    const errFile = join(dir, 'stderr');
    const child = spawn('/usr/bin/python3', ['-c', PTY_RUNNER, String(columns), errFile, process.execPath, bin, ...args], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    const text = Buffer.concat(chunks).toString('utf8');
    return { code, lines: text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'), stderr: readFileSync(errFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Cells of the widest line: what a terminal of that width would have to wrap. */
export function widestLine(lines: readonly string[]): number {
  return Math.max(0, ...lines.map((line) => [...line].length));
}
