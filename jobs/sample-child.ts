/**
 * Entry of the child process `startSampleWorldProcess` forks: generates the sample world, serves
 * its fakes and writes its files (`startSampleWorld`), reports the config over the IPC channel,
 * and serves until the parent asks it to stop or goes away. The world and the fakes' work stay in
 * this process, so the caller's extract runs on another core and its memory never holds the world.
 *
 * Messages: the options arrive as JSON in argv[2]; the child sends `SampleChildMessage`s and
 * accepts `{ kind: 'close' }`.
 */
import { summarizeWorld } from '../core/sample-world/index.ts';
import type { Logger, LogLevel } from '../core/log.ts';
import { describeError } from '../core/errors.ts';
import { startSampleWorld, type SampleChildMessage, type SampleWorld, type SampleWorldOptions } from './sample.ts';

// Resolves once the message is handed to the channel, so a message sent just before exiting arrives.
const send = (message: SampleChildMessage): Promise<void> => new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

/** A logger that hands every line to the parent, which writes it with its own logger. */
function forwardingLogger(fields: Record<string, unknown> = {}): Logger {
  const emit = (level: LogLevel) => (msg: string, more?: Record<string, unknown>) => void send({ kind: 'log', level, msg, fields: { ...fields, ...more } });
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (more) => forwardingLogger({ ...fields, ...more }) };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Omit<SampleWorldOptions, 'log'>;
  let sample: SampleWorld | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await sample?.close();
    process.exit(code);
  };
  // Stop when asked, and when the parent is gone (it crashed or was killed), so no fake outlives it.
  process.on('message', (message: { kind?: string }) => void (message?.kind === 'close' && stop(0)));
  process.on('disconnect', () => void stop(0));
  try {
    sample = await startSampleWorld({ ...options, log: forwardingLogger() });
  } catch (error) {
    await send({ kind: 'failed', error: describeError(error) });
    await stop(1);
    return;
  }
  const urls = Object.fromEntries(Object.entries(sample.servers).map(([type, server]) => [type, server.url]));
  await send({ kind: 'ready', config: sample.config, summary: summarizeWorld(sample.world), urls });
}

await main();
