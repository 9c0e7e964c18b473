import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real voice note the way WhatsApp records one: speech from espeak-ng, encoded as OGG/Opus
 * (48 kHz mono, low-bitrate VoIP mode) with ffmpeg. Both are Debian packages the tests need
 * (scripts/ensure-test-deps.sh).
 */
export async function makeVoiceNote(text: string, options: { voice?: string } = {}): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-voice-'));
  try {
    const wav = path.join(dir, 'speech.wav');
    const ogg = path.join(dir, 'voice.ogg');
    await run('espeak-ng', ['-v', options.voice ?? 'en', '-w', wav, text]);
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      wav,
      '-ac',
      '1',
      '-ar',
      '48000',
      '-c:a',
      'libopus',
      '-b:a',
      '24k',
      '-application',
      'voip',
      ogg,
    ]);
    return await readFile(ogg);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
