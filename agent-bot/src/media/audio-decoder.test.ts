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
    const decoded = await decodeAudio(ogg, { mp3: true, ogg: true });
    expect(decoded.durationSeconds).toBeGreaterThan(3);
    expect(decoded.durationSeconds).toBeLessThan(7);
    expect(decoded.truncated).toBe(false);
    expect((await sniffMediaType(decoded.mp3!))?.mime).toBe('audio/mpeg');
  });

  it('flags a truncated OGG (cut off in transit) and decodes the part that arrived', async () => {
    const ogg = await makeVoiceNote('This recording will be cut in half before it arrives at the bot.');
    const half = ogg.subarray(0, Math.floor(ogg.length / 2));
    expect(isCompleteOgg(half)).toBe(false);
    const whole = await decodeAudio(ogg, { mp3: false, ogg: true });
    const decoded = await decodeAudio(half, { mp3: false, ogg: true });
    expect(decoded.truncated).toBe(true);
    expect(decoded.durationSeconds).toBeLessThan(whole.durationSeconds * 0.75);
  });

  it('refuses a corrupt OGG (valid magic bytes, garbage after)', async () => {
    const garbage = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4000, 7)]);
    const error = await decodeAudio(garbage, { mp3: false, ogg: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).reason).toBe('corrupt');
  });
});
