import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from './audio-decoder.js';
import { MediaError } from './media-error.js';
import { isCompleteOgg } from './ogg-integrity.js';
import { sniffMediaType } from './sniff-media-type.js';
import { makeVoiceNote } from './testing/make-voice-note.js';

describe('decodeAudio (ffmpeg)', () => {
  it('decodes a WhatsApp-style OGG/Opus voice note, measures it and makes an MP3', async () => {
    const ogg = await makeVoiceNote('Hello, I would like to change my delivery address to 42 Baker Street.');
    expect(await sniffMediaType(ogg)).toEqual({ kind: 'audio', mime: 'audio/ogg' });
    expect(isCompleteOgg(ogg)).toBe(true);
    const decoded = await decodeAudio(ogg, { mime: 'audio/ogg', mp3: true });
    expect(decoded.durationSeconds).toBeGreaterThan(3);
    expect(decoded.durationSeconds).toBeLessThan(7);
    expect(decoded.truncated).toBe(false);
    expect((await sniffMediaType(decoded.mp3!))?.mime).toBe('audio/mpeg');
  });

  it('flags a truncated OGG (cut off in transit) and decodes the part that arrived', async () => {
    const ogg = await makeVoiceNote('This recording will be cut in half before it arrives at the bot.');
    const half = ogg.subarray(0, Math.floor(ogg.length / 2));
    expect(isCompleteOgg(half)).toBe(false);
    const whole = await decodeAudio(ogg, { mime: 'audio/ogg', mp3: false });
    const decoded = await decodeAudio(half, { mime: 'audio/ogg', mp3: false });
    expect(decoded.truncated).toBe(true);
    expect(decoded.durationSeconds).toBeLessThan(whole.durationSeconds * 0.75);
  });

  it('decodes other WhatsApp audio (MP3, M4A/AAC) with the demuxer the magic bytes name', async () => {
    const ogg = await makeVoiceNote('One two three four five.');
    for (const [format, codec, mime] of [
      ['mp3', 'libmp3lame', 'audio/mpeg'],
      ['ipod', 'aac', 'audio/x-m4a'],
    ] as const) {
      const converted = await convert(ogg, format, codec);
      const sniffed = await sniffMediaType(converted);
      expect(sniffed?.kind).toBe('audio');
      const decoded = await decodeAudio(converted, { mime: sniffed!.mime, mp3: false });
      expect(decoded.durationSeconds).toBeGreaterThan(1);
      expect(mime === sniffed!.mime || sniffed!.mime === 'audio/mp4').toBe(true);
    }
  });

  it('refuses a corrupt OGG (valid magic bytes, garbage after)', async () => {
    const garbage = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4000, 7)]);
    const error = await decodeAudio(garbage, { mime: 'audio/ogg', mp3: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).reason).toBe('corrupt');
  });
});

async function convert(ogg: Buffer, format: string, codec: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-convert-'));
  try {
    await writeFile(path.join(dir, 'in.ogg'), ogg);
    const out = path.join(dir, `out.${format === 'ipod' ? 'm4a' : format}`);
    await promisify(execFile)('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-i',
      path.join(dir, 'in.ogg'),
      '-c:a',
      codec,
      '-f',
      format,
      out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
