// Second pass of `npm test`: scans what the main suite printed, logged and threw for secrets.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/scan/**/*.test.ts'], testTimeout: 60_000 },
});
