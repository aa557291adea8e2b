// PNG reading for chart tests: decoded by pngjs (an implementation independent of the renderer),
// compared pixel by pixel with a tolerance for anti-aliasing differences.
import { PNG } from 'pngjs';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, row by row. */
  data: Uint8Array;
}

/** Decodes PNG bytes; throws unless they are a valid PNG (signature, chunks, CRCs, zlib data). */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

/** True when the bytes start with the PNG signature. */
export const isPng = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

export interface PixelDiff {
  /** Pixels whose largest channel difference exceeds the threshold. */
  differing: number;
  total: number;
  /** differing / total */
  share: number;
}

/**
 * Pixels that differ by more than `threshold` (0–255) in any channel. Images of different sizes
 * differ everywhere.
 */
export function pixelDiff(a: DecodedPng, b: DecodedPng, threshold = 48): PixelDiff {
  const total = Math.max(a.width * a.height, b.width * b.height);
  if (a.width !== b.width || a.height !== b.height) return { differing: total, total, share: 1 };
  let differing = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let max = 0;
    for (let c = 0; c < 4; c++) max = Math.max(max, Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0)));
    if (max > threshold) differing++;
  }
  return { differing, total, share: differing / total };
}
