import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createExperiment,
  download,
  launchChromium,
  openNotebook,
  SCREENSHOTS,
  startNotebook,
  scenarioSaveState,
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
    // 10 simulated seconds: long enough for latencies in the histograms.
    await useShortPreset(page, 'phone-8g-appswitch', '10')
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
    // One unobtrusive message for the whole batch, not one per run.
    const batchDone = page.getByRole('status').filter({ hasText: /^Batch done/ })
    await expect
      .poll(() => batchDone.allTextContents())
      .toEqual(['Batch done: 6 runs · “app switching, short”'])
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-light.png') })
    await page.waitForTimeout(500)
    expect(await batchDone.count()).toBe(1)

    // Alt+C compares the ticked runs; back on the Runs tab (Alt+3) they are still ticked.
    const ids = names.map((n) => /^Run (\d+):/.exec(n!)![1])
    await rows.nth(0).getByRole('checkbox').click()
    await rows.nth(3).getByRole('checkbox').click()
    await page.keyboard.press('Alt+c')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Compare')
    expect(decodeURIComponent(page.url())).toContain(`runs=${ids[0]},${ids[3]}`)
    await page.keyboard.press('Alt+3')
    await page.getByRole('button', { name: 'Compare 2 selected runs' }).waitFor()

    // A run's back link returns to the experiment as it was left: Runs tab, two runs ticked.
    await rows.last().click()
    await page.getByRole('heading', { level: 1, name: /^Run #\d+/ }).waitFor()
    await page.getByRole('link', { name: 'Back to the experiment' }).click()
    await page.getByRole('tab', { name: /^Runs/, selected: true }).waitFor()
    expect(page.url()).toMatch(/\?tab=runs$/)
    await page.getByRole('button', { name: 'Compare 2 selected runs' }).waitFor()

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

    // The Threads table splits each thread's CPU time: kswapd runs kernel code only, the launcher
    // mostly its own.
    const threadRow = async (name: string) =>
      page
        .getByRole('table', { name: 'Threads' })
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name, exact: true }) })
        .getByRole('cell')
        .allTextContents()
    const [, , kswapdCpu, kswapdSys] = await threadRow('kswapd0')
    expect(kswapdSys).toMatch(/ ms$/)
    expect(kswapdSys).toBe(kswapdCpu)
    await page
      .getByRole('table', { name: 'Threads' })
      .screenshot({ path: join(SCREENSHOTS, 'run-threads-light.png') })
    const [, , launcherCpu, launcherSys] = await threadRow('launcher')
    expect(parseFloat(launcherSys.replace(/,/g, ''))).toBeLessThan(
      parseFloat(launcherCpu.replace(/,/g, ''))
    )

    // Any chart as a figure, the latency histograms included.
    const runId = /\/runs\/(\d+)/.exec(page.url())![1]
    const svg = await download(page, 'Save chart alloc_slowpath_latency as SVG')
    expect(svg.name).toBe(`run-${runId}-alloc_slowpath_latency.svg`)
    expect(svg.bytes.toString()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg.bytes.toString()).toContain('>p99<')
    const png = await download(page, 'Save chart alloc_slowpath_latency as PNG')
    expect(png.name).toBe(`run-${runId}-alloc_slowpath_latency.png`)
    expect(png.bytes.subarray(1, 4).toString()).toBe('PNG')
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
    await darkPage.getByRole('tab', { name: /^Runs/, selected: true }).waitFor()
    await darkPage
      .getByRole('row', { name: /^Run \d+:/ })
      .first()
      .waitFor()
    await darkPage.screenshot({ path: join(SCREENSHOTS, 'runs-dark.png') })
    await dark.close()

    // Deleting an annotation asks first: Cancel keeps it, Delete removes it for good.
    const deleteNote = page.getByRole('button', {
      name: /^Delete annotation “kswapd falls behind here”/
    })
    await deleteNote.click()
    const confirm = page.getByRole('dialog')
    await expect.poll(() => confirm.textContent()).toContain('Delete annotation?')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    expect(await annotations.textContent()).toContain('kswapd falls behind here')
    await deleteNote.click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Annotations' }).count()).toBe(0)
    await page.reload()
    await page.getByText('No annotations yet.').waitFor()

    // Deleting the run itself asks too, then lands on the Runs tab with one run fewer.
    await page.getByRole('button', { name: `Delete run ${runId}` }).click()
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Delete run?')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect
      .poll(() => page.getByRole('tab', { name: /^Runs/ }).textContent())
      .toContain('Runs (5)')
    expect(await page.getByRole('tab', { name: /^Runs/ }).getAttribute('aria-selected')).toBe(
      'true'
    )
    expect(await page.getByRole('row', { name: new RegExp(`^Run ${runId}:`) }).count()).toBe(0)

    await context.close()
  })

  it('shows bad input inline, starts nothing, then runs from the keyboard', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'bad knob')
    await useShortPreset(page, 'single-cpu', '2')
    const swappiness = page.getByLabel('kernel.vm.swappiness', { exact: true })
    await swappiness.fill('250')
    await swappiness.press('Tab')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'kernel.vm.swappiness' }).textContent())
      .toMatch(/kernel\.vm\.swappiness: Too big: expected number to be <=200/)
    // Not saved, and said so; the edit waits on the Scenario tab while runs use the saved scenario.
    await scenarioSaveState(page, /Not saved: fix kernel\.vm\.swappiness/).waitFor()
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('5-2')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Seeds' }).textContent())
      .toContain('"5-2" must be increasing')
    expect(await page.getByRole('button', { name: 'Run batch' }).isDisabled()).toBe(true)
    // Ctrl+Enter cannot run this: it points at the field to fix instead.
    await page.getByRole('tab', { name: /^Runs/ }).focus()
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Seeds')
    expect(await page.getByRole('tab', { name: /^Runs/ }).textContent()).toContain('Runs (0)')

    // From another tab, Ctrl+Enter runs the controls as they were left (one seed, not the default ten).
    await page.getByLabel('Seeds').fill('1')
    await page.keyboard.press('Alt+1')
    await page.getByRole('tab', { name: 'Notes', selected: true }).waitFor()
    await page.keyboard.press('Control+Enter')
    await page.getByRole('tab', { name: 'Runs (1)', selected: true }).waitFor()
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /^Run #/ })
            .allTextContents(),
        {
          timeout: 20_000
        }
      )
      .toEqual([expect.stringMatching(/^Run #\d+ done · “bad knob”$/)])
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
    const cancelled = table.getByRole('row', { name: /, cancelled$/ })
    const ids = await table
      .getByRole('row', { name: /^Run \d+:/ })
      .evaluateAll((els) => els.map((e) => /^Run (\d+):/.exec(e.getAttribute('aria-label')!)![1]))
    expect(ids).toHaveLength(4)

    // One run cancelled from its row: only that one.
    await page.getByRole('button', { name: `Cancel run ${ids[0]}` }).click()
    await table.getByRole('row', { name: new RegExp(`^Run ${ids[0]}: .*, cancelled$`) }).waitFor()
    expect(await cancelled.count()).toBe(1)

    // Another from its own page, which then says so; back on the Runs tab, two are cancelled.
    await table.getByRole('row', { name: new RegExp(`^Run ${ids[1]}:`) }).click()
    await page.getByRole('region', { name: 'Run progress' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'run-running-light.png') })
    await page.getByRole('button', { name: `Cancel run ${ids[1]}` }).click()
    await page.getByText('This run was cancelled').waitFor()
    await page.getByRole('link', { name: 'Back to the experiment' }).click()
    await page.getByRole('tab', { name: /^Runs/, selected: true }).waitFor()
    await expect.poll(() => cancelled.count()).toBe(2)

    await page.getByRole('button', { name: 'Cancel unfinished runs' }).click()
    await expect.poll(() => cancelled.count(), { timeout: 20_000 }).toBe(4)
    // Cancelled by hand, so no completion message.
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^Batch done/ })
        .count()
    ).toBe(0)
    await expect
      .poll(() => page.getByRole('status', { name: 'Simulation queue' }).textContent())
      .toContain('queue idle')
    await context.close()
  })
})
