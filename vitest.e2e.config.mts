import { defineConfig } from 'vitest/config'

// Real Chromium against serve mode; files run one at a time to keep the 2-core machine responsive.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks'
  }
})
