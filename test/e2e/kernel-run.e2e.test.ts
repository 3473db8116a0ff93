import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kernelSkip } from '../helpers/kernel'
import {
  createExperiment,
  launchChromium,
  openNotebook,
  SCREENSHOTS,
  startNotebook,
  useShortPreset,
  type Notebook
} from './harness'

// Boots Debian's packaged kernel in qemu (TCG, as serve is told) from the Runs tab.
describe.skipIf(kernelSkip)('a kernel run from the Runs tab (serve mode)', () => {
  let notebook: Notebook
  let browser: Browser

  beforeAll(async () => {
    ;[notebook, browser] = await Promise.all([
      startNotebook({ args: ['--accel', 'tcg'] }),
      launchChromium()
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await notebook?.stop()
  })

  it('boots the kernel, follows the run to its end and compares it with the model', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'twin: real and simulated')
    await useShortPreset(page, 'twin-eater-512m', '6')
    await page.getByRole('tab', { name: /^Runs/ }).click()

    // The model first: two seeds of the baseline.
    await page.getByLabel('Seeds').fill('1-2')
    await page.getByRole('button', { name: 'Run batch' }).click()

    await page.getByText('Real kernel', { exact: true }).click()
    const form = page.getByRole('form', { name: 'Kernel run controls' })
    await expect.poll(() => form.textContent()).toContain('TCG, as asked')
    expect(await form.textContent()).toMatch(/Kernel imageDebian's \d/)
    await page.getByLabel('Kernel label').fill('debian 6.1')
    await page.getByRole('button', { name: 'Start kernel runs' }).click()
    const real = page.getByRole('row', { name: /^Run \d+: observed debian 6\.1, / })
    await real.waitFor()
    await expect
      .poll(() => real.getAttribute('aria-label'), { timeout: 20_000, interval: 250 })
      .toMatch(/, running$/)
    await expect
      .poll(() => real.getAttribute('aria-label'), { timeout: 110_000, interval: 500 })
      .toMatch(/, done$/)
    await expect
      .poll(() => page.getByRole('row', { name: /baseline seed \d, done$/ }).count())
      .toBe(2)

    // Its page: the kernel it booted and what the console said.
    await real.click()
    const kernel = page.getByRole('region', { name: 'Kernel run' })
    await kernel.waitFor()
    expect(await kernel.textContent()).toMatch(/kernel\s*\d+\.\d+\.\d+-\d+-amd64/)
    await kernel.getByText('Serial console').click()
    expect(await page.getByLabel('Serial console').textContent()).toContain('RL done')
    await page.getByRole('link', { name: 'Back to the experiment' }).click()

    await page.getByRole('tab', { name: 'Compare' }).click()
    const table = page.getByRole('table', { name: 'Comparison table' })
    await table.waitFor()
    const groups = await table.evaluate((el) =>
      Array.from(el.querySelectorAll('thead th.group')).map((th) =>
        (th.firstChild?.nextSibling?.textContent ?? '').trim()
      )
    )
    expect(groups).toEqual(['simulated baseline', 'real debian 6.1'])
    const pswpout = await table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'pswpout: show per seed', exact: true }) })
      .textContent()
    expect(pswpout).toMatch(/\d{2},\d{3}.*\d{2},\d{3}/)
    await expect
      .poll(() => page.getByRole('img', { name: /^Chart: Free memory/ }).count())
      .toBeGreaterThan(0)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(SCREENSHOTS, 'compare-kernel-light.png'), fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  }, 170_000)
})
