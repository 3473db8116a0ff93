import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasRedisServer, startRedis, type RedisServer } from '../helpers/redis'
import {
  createExperiment,
  launchChromium,
  openNotebook,
  startNotebook,
  useShortPreset,
  type Notebook
} from './harness'

const ROOT = join(__dirname, '..', '..')
const skip = !hasRedisServer && !process.env.RECLAIM_LAB_REQUIRE_REDIS

describe.skipIf(skip)('queue mode chosen in Settings (serve mode, real redis-server)', () => {
  let notebook: Notebook
  let browser: Browser
  let redis: RedisServer
  let worker: ChildProcess
  let workerLog = ''

  beforeAll(async () => {
    ;[notebook, browser, redis] = await Promise.all([
      startNotebook(),
      launchChromium(),
      startRedis()
    ])
    worker = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--redis', redis.url, '--concurrency', '2'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    worker.stderr!.on('data', (d: Buffer) => (workerLog += d.toString()))
  })
  afterAll(async () => {
    worker?.kill('SIGKILL')
    await browser?.close()
    await notebook?.stop()
    await redis?.stop()
  })

  it('sends a batch to the queue, where a worker runs it, and keeps the choice', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByText('a Redis queue at', { exact: true }).click()
    const url = page.getByLabel('Redis URL')
    await url.fill('http://example.com')
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('redisUrl')
    await url.fill(redis.url)
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'New runs go to the queue' }).count())
      .toBe(1)
    await page.reload()
    await page.getByRole('link', { name: 'Settings' }).click()
    expect(await page.getByRole('radio', { name: 'a Redis queue at' }).isChecked()).toBe(true)
    expect(await page.getByLabel('Redis URL').inputValue()).toBe(redis.url)

    await createExperiment(page, 'through the queue')
    await useShortPreset(page, 'single-cpu', '2')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('1-3')
    await page.getByRole('button', { name: 'Run batch' }).click()
    await expect
      .poll(() => page.getByRole('row', { name: /, done$/ }).count(), { timeout: 30_000 })
      .toBe(3)
    // The runs were the worker's, not this computer's.
    expect(workerLog.match(/: done in/g)).toHaveLength(3)
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)
})
