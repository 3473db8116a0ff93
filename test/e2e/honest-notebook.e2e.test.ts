import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createExperiment,
  download,
  launchChromium,
  openNotebook,
  scenarioSaveState,
  SCREENSHOTS,
  startNotebook,
  type Notebook
} from './harness'

/**
 * WCAG contrast ratio of an element's text against the first opaque background behind it; 0 for an
 * element replaced while it was read (a live row re-renders ten times a second).
 */
function contrastOf(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    if (!el.isConnected) return 0
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number)
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
    let node: Element | null = el
    let background = [255, 255, 255]
    while (node) {
      const parts = rgb(getComputedStyle(node).backgroundColor)
      if (parts.length === 3 || (parts.length === 4 && parts[3] === 1)) {
        background = parts.slice(0, 3)
        break
      }
      node = node.parentElement
    }
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(background)]
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
  })
}

/** Switches the colour scheme and waits for the app to follow it. */
async function useScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme })
  await page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme)
  // Naive UI eases colours over 0.3 s.
  await page.waitForTimeout(500)
}

const percentOf = (text: string | null) => Number(/(\d+)%/.exec(text ?? '')?.[1] ?? NaN)

/** "ETA 12 s" → 12, "ETA 1m 05s" → 65; null while it is being estimated. */
function etaSeconds(text: string | null): number | null {
  const m = /ETA (?:(\d+)m (\d+)s|(\d+) s)/.exec(text ?? '')
  if (!m) return null
  return m[3] !== undefined ? Number(m[3]) : Number(m[1]) * 60 + Number(m[2])
}

describe('a notebook to live in (Chromium, serve mode)', () => {
  let notebook: Notebook
  let browser: Browser

  beforeAll(async () => {
    ;[notebook, browser] = await Promise.all([startNotebook(), launchChromium()])
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await notebook?.stop()
  })

  it('1, 7: keeps scenario edits across tabs, and lays every field out readably', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'edits survive')
    await page.getByRole('tab', { name: 'Scenario' }).click()
    await page.getByRole('button', { name: 'Start from single-cpu' }).click()
    const duration = page.getByLabel('duration_s', { exact: true })
    await duration.fill('3')
    // Straight to Runs, without waiting: the edit is saved on the way.
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByRole('form', { name: 'Run controls' }).waitFor()
    expect(await page.getByText('Choose a scenario before running').count()).toBe(0)
    await page.getByRole('tab', { name: 'Scenario' }).click()
    expect(await page.getByLabel('duration_s', { exact: true }).inputValue()).toBe('3')

    // An edit that cannot be saved is kept, said so where it is and on Runs.
    const swappiness = page.getByLabel('kernel.vm.swappiness', { exact: true })
    await swappiness.fill('250')
    await swappiness.press('Tab')
    await scenarioSaveState(page, /Not saved: fix kernel\.vm\.swappiness: Too big/).waitFor()
    await page.getByRole('tab', { name: /^Runs/ }).click()
    const notice = page.getByRole('alert').filter({ hasText: 'A scenario edit is not saved' })
    await expect
      .poll(() => notice.textContent())
      .toMatch(/kernel\.vm\.swappiness: Too big.*Runs use the last saved scenario/)
    await notice.getByRole('button', { name: 'Fix it on Scenario' }).click()
    expect(await page.getByLabel('kernel.vm.swappiness', { exact: true }).inputValue()).toBe('250')
    await page.getByLabel('kernel.vm.swappiness', { exact: true }).fill('100')
    await scenarioSaveState(page, /^\s*Saved\s*$/).waitFor()
    await page.reload()
    await page.getByRole('tab', { name: 'Scenario', selected: true }).waitFor()
    expect(await page.getByLabel('kernel.vm.swappiness', { exact: true }).inputValue()).toBe('100')
    expect(await page.getByLabel('duration_s', { exact: true }).inputValue()).toBe('3')

    // Item 7: whole names, "auto" on one line, no cut placeholder, no "Please Select".
    const editor = page.getByRole('region', { name: 'Scenario' })
    await editor.getByText('Variant knobs', { exact: true }).click()
    for (const name of ['zswap.accept_threshold_percent', 'vm.min_free_kbytes', 'trace.enabled']) {
      const label = editor.locator('label', { hasText: name })
      await expect.poll(() => label.count()).toBe(1)
      expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    }
    // No bare "enabled": each says whose it is.
    expect(await editor.locator('label', { hasText: /^enabled$/ }).count()).toBe(0)
    for (const knob of ['kernel.vm.min_free_kbytes', 'variant.nr_kcompressd', 'variant.nice']) {
      const auto = page.getByRole('checkbox', { name: `${knob} auto` })
      expect(await auto.getAttribute('aria-checked')).toBe('true')
      const box = (await auto.boundingBox())!
      expect(box.height).toBeLessThan(24)
      expect(box.width).toBeGreaterThan(40)
    }
    expect(
      await page
        .getByLabel('kernel.vm.min_free_kbytes', { exact: true })
        .getAttribute('placeholder')
    ).toBe('auto')
    expect(await editor.getByText('Please Select').count()).toBe(0)
    expect(await editor.textContent()).toContain(
      'auto: computed by the kernel from the memory size (calculate_min_free_kbytes)'
    )
    // Item 8 in the editor: what auto resolves to, variant by variant.
    expect(await editor.textContent()).toMatch(
      /auto: each variant's own: v1 5,461 · proto 256 · v2 256 · zram_async 5,461 · unofficial 24/
    )
    // Unticking auto starts from a value the schema accepts, and saves.
    await page.getByRole('checkbox', { name: 'variant.dispatch auto' }).click()
    expect(await page.getByLabel('variant.dispatch', { exact: true }).textContent()).toContain(
      'per_node'
    )
    await scenarioSaveState(page, /^\s*Saved\s*$/).waitFor()
    expect(errors).toEqual([])

    for (const scheme of ['light', 'dark'] as const) {
      await useScheme(page, scheme)
      await page.setViewportSize({ width: 1400, height: 1500 })
      await editor.locator('label', { hasText: 'vm.min_free_kbytes' }).scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(SCREENSHOTS, `scenario-${scheme}.png`) })
      await page.setViewportSize({ width: 1400, height: 860 })
    }
    await context.close()
  })

  it('4, 8: explains each variant, starts what the controls say, and shows honest progress', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'baseline, v1 and proto')
    await page.getByRole('tab', { name: 'Scenario' }).click()
    await page.getByRole('button', { name: 'Start from phone-8g-appswitch' }).click()
    // Long enough that a worker's cold start is a small part of a run, and that the batch is still
    // running while its progress is read in both colour schemes (a 30 s run takes 0.3 s here).
    await page.getByLabel('duration_s', { exact: true }).fill('90')
    await page.getByRole('tab', { name: /^Runs/ }).click()

    // Item 8: the design, its source and its known bugs under each checkbox.
    const v2 = page.getByRole('checkbox', { name: 'v2' })
    const about = page.locator(`#${await v2.getAttribute('aria-describedby')}`)
    expect(await about.textContent()).toMatch(/kcompressd v2 \(30 Apr 2025\).*source: \[V2\]/)
    const proto = page.getByRole('group', { name: 'Variants' }).locator('.variant', {
      has: page.getByRole('checkbox', { name: 'proto' })
    })
    await proto.getByText('4 known bugs').click()
    expect(await proto.textContent()).toContain('kcompressd is never woken')
    await proto.getByText('knobs in this scenario').click()
    expect(await proto.textContent()).toMatch(/queue_size\s*256\s*\(auto\)/)

    // The empty state's button says, and starts, what the controls are set to.
    const start = page.getByRole('button', { name: /^Run baseline/ })
    expect(await start.textContent()).toContain('Run baseline × 10 seeds')
    await page.getByRole('checkbox', { name: 'v1' }).click()
    await page.getByRole('checkbox', { name: 'proto' }).click()
    await page.getByLabel('Seeds').fill('1-5')
    expect(await start.textContent()).toContain('Run baseline, v1 and proto × 5 seeds')
    await page.getByRole('main').evaluate((el) => el.scrollTo(0, 0))
    for (const scheme of ['light', 'dark'] as const) {
      await useScheme(page, scheme)
      await page.screenshot({ path: join(SCREENSHOTS, `runs-variants-${scheme}.png`) })
    }
    await useScheme(page, 'light')
    await proto.getByText('4 known bugs').click()
    await proto.getByText('knobs in this scenario').click()
    await start.click()

    // Item 4: live counts, a batch percentage that never goes back, a measured ETA, readable bars.
    const rows = page.getByRole('row', { name: /^Run \d+:/ })
    await expect.poll(() => rows.count()).toBe(15)
    const listed = page.getByRole('list', { name: 'Experiment list' }).getByRole('link', {
      name: /baseline, v1 and proto/
    })
    await expect.poll(() => listed.textContent()).toMatch(/15 runs · \d+ to go/)
    const batch = page.locator('[aria-label^="Batch "][aria-label$="progress"]')
    const queue = page.getByRole('status', { name: 'Simulation queue' })
    const batchPercents: number[] = []
    const queuePercents: number[] = []
    const etas: Array<{ at: number; left: number }> = []
    let percentChecked = false
    while ((await page.getByRole('row', { name: /, done$/ }).count()) < 15) {
      // The bars vanish when the batch ends, possibly between two reads: read each once, briefly.
      const text = await batch.textContent({ timeout: 300 }).catch(() => null)
      if (text !== null) {
        batchPercents.push(percentOf(text))
        const left = etaSeconds(text)
        if (left !== null) etas.push({ at: Date.now(), left })
      }
      const queueText = await queue
        .getByText(/^\d+% · ETA/)
        .textContent({ timeout: 300 })
        .catch(() => null)
      if (queueText !== null) queuePercents.push(percentOf(queueText))
      const pct = rows.locator('.pct').first()
      if (!percentChecked && batchPercents.at(-1)! >= 20 && (await pct.count())) {
        await expect.poll(() => contrastOf(pct).catch(() => 0)).toBeGreaterThanOrEqual(4.5)
        percentChecked = true
        // Tall enough for the controls, the batch and the live rows together.
        await page.setViewportSize({ width: 1400, height: 1250 })
        for (const scheme of ['light', 'dark'] as const) {
          await useScheme(page, scheme)
          await expect.poll(() => contrastOf(pct).catch(() => 0)).toBeGreaterThanOrEqual(4.5)
          await page.screenshot({ path: join(SCREENSHOTS, `runs-progress-${scheme}.png`) })
        }
        await useScheme(page, 'light')
        await page.setViewportSize({ width: 1400, height: 860 })
      }
      await page.waitForTimeout(150)
    }
    const finishedAt = Date.now()
    expect(batchPercents.length).toBeGreaterThan(3)
    expect(queuePercents.length).toBeGreaterThan(3)
    expect(batchPercents).toEqual([...batchPercents].sort((a, b) => a - b))
    expect(queuePercents).toEqual([...queuePercents].sort((a, b) => a - b))
    expect(percentChecked).toBe(true)
    // Measured, not guessed: the first estimate is within a factor of three of the time it took
    // (the issue saw 9 minutes for 32 seconds), give or take the 2 s the display rounds to.
    expect(etas.length).toBeGreaterThan(0)
    const actual = (finishedAt - etas[0].at) / 1000
    expect(etas[0].left).toBeLessThanOrEqual(3 * actual + 2)
    expect(etas[0].left).toBeGreaterThanOrEqual(actual / 3 - 2)
    await expect.poll(() => listed.textContent()).toMatch(/15 runs$/)
    expect(await page.getByRole('tab', { name: /^Runs/ }).textContent()).toContain('Runs (15)')
    expect(errors).toEqual([])
    await context.close()
  })

  it('10: labels its controls, has a favicon, and tells an imported bundle apart', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'travels in a bundle')
    expect(await page.getByRole('button', { name: 'Add tag' }).textContent()).toContain('tag')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.keyboard.type('zram')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByLabel('Tags').textContent()).toContain('zram')
    await page.getByRole('tab', { name: 'Scenario' }).click()
    await page.getByRole('button', { name: 'Start from single-cpu' }).click()
    await scenarioSaveState(page, /^\s*Saved\s*$/).waitFor()
    // The accessible name is the visible text.
    expect(await page.getByRole('button', { name: 'Share code…', exact: true }).count()).toBe(1)
    const icon = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!
      const response = await fetch(link.href)
      return { status: response.status, type: response.headers.get('content-type') }
    })
    expect(icon).toEqual({ status: 200, type: 'image/svg+xml' })

    const bundle = await download(page, 'Export experiment bundle')
    const dir = mkdtempSync(join(tmpdir(), 'reclaim-lab-bundle-'))
    try {
      const file = join(dir, bundle.name)
      writeFileSync(file, bundle.bytes)
      await page.getByRole('button', { name: 'Import an experiment' }).click()
      await page.getByLabel('Bundle file to import').setInputFiles(file)
      await page.getByRole('button', { name: 'Import experiment' }).click()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    await page.getByRole('heading', { level: 1, name: 'travels in a bundle (imported)' }).waitFor()
    expect(await page.getByRole('main').textContent()).toContain('imported just now from a bundle')
    const list = page.getByRole('list', { name: 'Experiment list' })
    expect(
      await list.getByRole('link', { name: /travels in a bundle \(imported\)/ }).textContent()
    ).toContain('imported')
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('a notebook whose server goes away (Chromium, serve mode)', () => {
  let browser: Browser
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-lab-restart-'))
  const db = join(dir, 'notebook.sqlite')

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function runsTab(page: Page): Promise<string | null> {
    return page.getByRole('tab', { name: /^Runs/ }).textContent()
  }

  it('2: keeps the last data greyed with actions off, then reconnects on the same port', async () => {
    const first = await startNotebook({ db, port: null })
    let firstRunning = true
    let second: Notebook | undefined
    try {
      const { context, page } = await openNotebook(browser, first)
      await createExperiment(page, 'outlives its server')
      await page.getByRole('tab', { name: 'Scenario' }).click()
      await page.getByRole('button', { name: 'Start from single-cpu' }).click()
      await page.getByLabel('duration_s', { exact: true }).fill('1')
      await page.getByRole('tab', { name: /^Runs/ }).click()
      await page.getByLabel('Seeds').fill('1')
      await page.getByRole('button', { name: 'Run batch' }).click()
      await page.getByRole('row', { name: /, done$/ }).waitFor({ timeout: 30_000 })
      expect(await runsTab(page)).toContain('Runs (1)')

      await first.stop()
      firstRunning = false
      const banner = page.getByRole('alert').filter({ hasText: 'The notebook is not reachable' })
      await banner.waitFor()
      expect(await banner.textContent()).toContain('npm run serve')
      // What was shown stays, greyed, and nothing can be started meanwhile.
      expect(await runsTab(page)).toContain('Runs (1)')
      expect(await page.getByRole('row', { name: /, done$/ }).count()).toBe(1)
      expect(await page.getByText('No runs yet').count()).toBe(0)
      expect(await page.getByRole('button', { name: 'Run batch' }).isDisabled()).toBe(true)
      expect(await page.getByRole('button', { name: 'New experiment' }).isDisabled()).toBe(true)
      for (const scheme of ['light', 'dark'] as const) {
        await useScheme(page, scheme)
        await page.screenshot({ path: join(SCREENSHOTS, `offline-${scheme}.png`) })
      }
      await useScheme(page, 'light')

      // Restarted without --port: the same port, a new token, which the tab is told to ask for.
      second = await startNotebook({ db, port: null })
      expect(new URL(second.url).port).toBe(new URL(first.url).port)
      const restarted = page
        .getByRole('alert')
        .filter({ hasText: 'The notebook server was restarted' })
      await restarted.waitFor({ timeout: 10_000 })
      await page.getByLabel('New address of the notebook').fill('http://127.0.0.1:1/?token=x')
      await page.getByRole('button', { name: 'Reconnect' }).click()
      await expect
        .poll(() => restarted.textContent())
        .toContain('That notebook is at http://127.0.0.1:1')
      await page.getByLabel('New address of the notebook').fill(second.url)
      await page.getByRole('button', { name: 'Reconnect' }).click()
      await expect.poll(() => page.getByRole('alert').count(), { timeout: 10_000 }).toBe(0)
      expect(await page.getByRole('button', { name: 'Run batch' }).isDisabled()).toBe(false)
      expect(await runsTab(page)).toContain('Runs (1)')
      // Events flow again on the new connection: a run started now is followed to its end.
      await page.getByLabel('Seeds').fill('2')
      await page.getByRole('button', { name: 'Run batch' }).click()
      await expect
        .poll(() => page.getByRole('row', { name: /, done$/ }).count(), { timeout: 30_000 })
        .toBe(2)
      await context.close()
    } finally {
      if (firstRunning) await first.stop()
      await second?.stop()
    }
  })
})
