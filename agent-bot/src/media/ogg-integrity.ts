/**
 * ffmpeg decodes a truncated OGG without complaint (it drops the partial page), so a voice note
 * cut off in transit would silently lose its end. A complete Ogg stream ends with a whole page
 * flagged end-of-stream (header_type bit 0x04, RFC 3533 §6); anything else was cut short.
 */
export function isCompleteOgg(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const last = buffer.lastIndexOf('OggS');
  if (last < 0 || buffer.length < last + 27) return false;
  const headerType = buffer[last + 5]!;
  const segments = buffer[last + 26]!;
  if (buffer.length < last + 27 + segments) return false;
  let body = 0;
  for (let i = 0; i < segments; i++) body += buffer[last + 27 + i]!;
  const pageEnd = last + 27 + segments + body;
  return (headerType & 0x04) !== 0 && pageEnd === buffer.length;
}
