import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Screenshots the Temporal UI test takes of what an operator sees. By default they land in the
// harness's temporary directory (outside the repository, so a CI run leaves the checkout clean);
// PREVIEWD_UI_SCREENSHOTS=docs/screenshots regenerates the ones the README shows.

const SCREENSHOTS_ENV = 'PREVIEWD_UI_SCREENSHOTS';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The directory the screenshots go to: `$PREVIEWD_UI_SCREENSHOTS` (relative to the working directory), else `<workDir>/temporal-ui`. */
function screenshotDir(workDir: string): string {
  const chosen = process.env[SCREENSHOTS_ENV]?.trim();
  return chosen ? resolve(chosen) : join(workDir, 'temporal-ui');
}

interface PngFacts {
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** Width and height from the IHDR chunk, which the PNG format requires right after the signature. */
function readPng(file: string): PngFacts {
  const data = readFileSync(file);
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${file} is not a PNG file (${data.length} bytes)`);
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bytes: data.length };
}

export { readPng, screenshotDir, type PngFacts };
