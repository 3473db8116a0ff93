import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createExperiment,
  launchChromium,
  openNotebook,
  SCREENSHOTS,
  startNotebook,
  useShortPreset,
  type Notebook
} from './harness'

describe('running experiments in Chromium (serve mode)', () => {
  let notebook: Notebook
  let browser: Browser

  beforeAll(async () => {
    ;[notebook, browser] = await Promise.all([startNotebook(), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await notebook?.stop()
  })

  it('runs a batch from a preset and watches it finish', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'app switching, short')
    await useShortPreset(page, 'phone-8g-appswitch', '6')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByRole('checkbox', { name: 'v2' }).click()
    await page.getByLabel('Seeds').fill('1-3')
    expect(await page.getByRole('form', { name: 'Run controls' }).textContent()).toContain('6 runs')
    await page.getByRole('button', { name: 'Run batch' }).click()
    const rows = page.getByRole('row', { name: /^Run \d+:/ })
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(6)
    await expect
      .poll(() => page.getByRole('row', { name: /, done$/ }).count(), {
        timeout: 120_000,
        interval: 500
      })
      .toBe(6)
    const names = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    expect(names.map((n) => n!.replace(/^Run \d+: /, ''))).toEqual([
      'baseline seed 1, done',
      'baseline seed 2, done',
      'baseline seed 3, done',
      'v2 seed 1, done',
      'v2 seed 2, done',
      'v2 seed 3, done'
    ])
    expect(await page.getByRole('tab', { name: /^Runs/ }).textContent()).toContain('Runs (6)')
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-light.png') })

    // Open a run: its charts have data, and an annotation pinned by clicking a chart survives a reload.
    await rows.last().click()
    await page.getByRole('heading', { level: 1, name: /^Run #\d+/ }).waitFor()
    const freeChart = page.getByRole('img', { name: /^Chart: Free memory/ })
    await freeChart.waitFor()
    expect(await page.getByRole('img', { name: /^Chart: / }).count()).toBeGreaterThanOrEqual(3)
    const canvasPixels = await freeChart
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let drawn = 0
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++
        return drawn
      })
    expect(canvasPixels).toBeGreaterThan(1000)
    const box = (await freeChart.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5)
    await page.getByLabel('Annotation', { exact: true }).fill('kswapd falls behind here')
    await page.getByRole('button', { name: 'Pin annotation' }).click()
    const annotations = page.getByRole('table', { name: 'Annotations' })
    await expect.poll(() => annotations.textContent()).toContain('kswapd falls behind here')
    await page.reload()
    await expect
      .poll(() => page.getByRole('table', { name: 'Annotations' }).textContent(), {
        timeout: 15_000
      })
      .toContain('kswapd falls behind here')
    await page.screenshot({ path: join(SCREENSHOTS, 'run-light.png') })
    expect(errors).toEqual([])

    // The same pages in the dark theme, for a look at both.
    const dark = await browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1400, height: 860 }
    })
    const darkPage = await dark.newPage()
    await darkPage.goto(
      notebook.url.replace(
        /\/\?token=.*/,
        `/?token=${new URL(notebook.url).searchParams.get('token')}`
      ) + page.url().slice(page.url().indexOf('#'))
    )
    await darkPage.getByRole('img', { name: /^Chart: Free memory/ }).waitFor()
    await darkPage.waitForTimeout(500)
    await darkPage.screenshot({ path: join(SCREENSHOTS, 'run-dark.png') })
    await darkPage.getByRole('link', { name: 'Back to the experiment' }).click()
    await darkPage.getByRole('tab', { name: /^Runs/ }).click()
    await darkPage
      .getByRole('row', { name: /^Run \d+:/ })
      .first()
      .waitFor()
    await darkPage.screenshot({ path: join(SCREENSHOTS, 'runs-dark.png') })
    await dark.close()
    await context.close()
  })

  it('shows an out-of-range knob inline and starts nothing', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'bad knob')
    await useShortPreset(page, 'single-cpu', '2')
    const swappiness = page.getByLabel('kernel.vm.swappiness', { exact: true })
    await swappiness.fill('250')
    await swappiness.press('Tab')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'kernel.vm.swappiness' }).textContent())
      .toMatch(/kernel\.vm\.swappiness: Too big: expected number to be <=200/)
    expect(await page.getByRole('button', { name: 'Save scenario' }).isDisabled()).toBe(true)
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('5-2')
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('"5-2" must be increasing')
    expect(await page.getByRole('button', { name: 'Run batch' }).isDisabled()).toBe(true)
    expect(await page.getByRole('tab', { name: /^Runs/ }).textContent()).toContain('Runs (0)')
    await context.close()
  })

  it('cancels a running batch', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'long runs')
    // The phone's app switching keeps going for the whole duration (about 30 s of wall time per run
    // here); single-cpu's eater finishes within 20 simulated seconds, so its runs end too soon.
    await useShortPreset(page, 'phone-8g-appswitch', '3000')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('1-4')
    await page.getByRole('button', { name: 'Run batch' }).click()
    const table = page.getByRole('table')
    await expect
      .poll(() => table.getByRole('progressbar').count(), { timeout: 10_000 })
      .toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Cancel unfinished runs' }).click()
    await expect
      .poll(() => table.getByRole('row', { name: /, cancelled$/ }).count(), { timeout: 20_000 })
      .toBe(4)
    await expect
      .poll(() => page.getByRole('status', { name: 'Simulation queue' }).textContent())
      .toContain('queue idle')
    await context.close()
  })
})
