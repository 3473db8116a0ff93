import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatValue } from '../../src/shared/compare/format'
import {
  createExperiment,
  launchChromium,
  openNotebook,
  SCREENSHOTS,
  startNotebook,
  useShortPreset,
  type Notebook
} from './harness'

const FIXTURES = join(__dirname, '..', 'fixtures', 'observed')

/** The rendered compare table: metric heading → cell texts in column order, and the column labels. */
async function renderedTable(page: Page) {
  const table = page.getByRole('table', { name: 'Comparison table' })
  return table.evaluate((el) => {
    const groups = Array.from(el.querySelectorAll('thead th.group')).map((th) =>
      (th.firstChild?.nextSibling?.textContent ?? '').trim()
    )
    const rows: Record<string, string[]> = {}
    for (const tr of Array.from(el.querySelectorAll(':scope > tbody > tr'))) {
      const head = tr.querySelector(':scope > th[scope="row"]')
      if (!head) continue
      rows[head.textContent!.replace(/\s+/g, ' ').trim()] = Array.from(
        tr.querySelectorAll(':scope > td.value')
      ).map((td) => td.textContent!.trim())
    }
    return { groups, rows }
  })
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click()
  ])
  const path = await file.path()
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

/** A LaTeX table row's cells back to the screen's text. */
function unLatex(cell: string): string {
  return cell
    .replace(/\$\\pm\$/g, '±')
    .replace(/\$\\sim\$/g, '~')
    .replace(/\$\\mu\$/g, 'µ')
    .replace(/\\([%_&#$])/g, '$1')
    .replace(/^--$/, '–')
    .trim()
}

describe('comparing variants in Chromium (serve mode)', () => {
  let notebook: Notebook
  let browser: Browser

  beforeAll(async () => {
    ;[notebook, browser] = await Promise.all([startNotebook(), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await notebook?.stop()
  })

  it('compares baseline and v2 over 5 seeds and exports the table as CSV and LaTeX', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'kcompressd v2 on a phone')
    await useShortPreset(page, 'phone-8g-appswitch', '10')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByRole('checkbox', { name: 'v2' }).click()
    await page.getByLabel('Seeds').fill('1-5')
    await page.getByRole('button', { name: 'Run batch' }).click()
    await expect
      .poll(() => page.getByRole('row', { name: /, done$/ }).count(), {
        timeout: 120_000,
        interval: 500
      })
      .toBe(10)

    await page.getByRole('tab', { name: 'Compare' }).click()
    const table = page.getByRole('table', { name: 'Comparison table' })
    await table.waitFor()
    const screen = await renderedTable(page)
    expect(screen.groups).toEqual(['baseline', 'v2'])
    const allocstall = screen.rows['allocstall']
    expect(allocstall[0]).toMatch(/^[\d,.]+ ± [\d,.]+ \(0\.00%\)$/)
    expect(allocstall[1]).toMatch(/^[\d,.]+ ± [\d,.]+ \([+-]\d+\.\d\d%\)[*~]$/)
    // v2 has a kcompressd queue; the baseline kernel has none.
    expect(screen.rows['kcompressd_queue_depth_max']?.[0]).toMatch(/^(–|0 )/)
    expect(screen.rows['kcompressd_queue_depth_max']?.[1]).toMatch(/^[\d,.]+ ± [\d,.]+$/)
    expect(Object.values(screen.rows).filter((r) => /[*~]$/.test(r[1])).length).toBeGreaterThan(10)
    await expect
      .poll(() => page.getByRole('img', { name: /^Chart: Free memory/ }).count())
      .toBeGreaterThan(0)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(SCREENSHOTS, 'compare-light.png'), fullPage: true })

    // Any chart as a figure: PNG from the canvas, SVG re-rendered from the same option.
    const svg = await download(page, 'Save chart Free memory (nr_free_pages) as SVG')
    expect(svg.name).toBe('compare-free.svg')
    expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg.text).toContain('>v2<')
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save chart Free memory (nr_free_pages) as PNG' }).click()
    ])
    const pngBytes = readFileSync(await png.path())
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG')
    expect(pngBytes.length).toBeGreaterThan(10_000)

    // A note pinned to the comparison by clicking a chart: kept with the experiment, on reload too.
    const freeChart = page.getByRole('img', { name: /^Chart: Free memory/ })
    const box = (await freeChart.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5)
    const pinForm = page.getByRole('form', { name: 'Pin an annotation' })
    const at = Number(await pinForm.getByLabel('Start (s)').inputValue())
    expect(at).toBeGreaterThan(3)
    expect(at).toBeLessThan(7)
    await pinForm.getByLabel('Annotation', { exact: true }).fill('v2 queue fills here')
    await pinForm.getByRole('button', { name: 'Pin annotation' }).click()
    const compareNotes = page.getByRole('table', { name: 'Annotations' })
    await expect.poll(() => compareNotes.textContent()).toContain('v2 queue fills here')
    await page.reload()
    await expect
      .poll(() => page.getByRole('table', { name: 'Annotations' }).textContent(), {
        timeout: 15_000
      })
      .toContain('v2 queue fills here')
    await page.getByRole('table', { name: 'Comparison table' }).waitFor()

    // CSV: one row per metric and group; its `cell` is the screen's text, its numbers parse.
    const csv = await download(page, 'Export table as CSV')
    expect(csv.name).toBe('kcompressd-v2-on-a-phone-compare.csv')
    const parsed = Papa.parse<Record<string, string>>(csv.text, {
      header: true,
      skipEmptyLines: true
    })
    expect(parsed.errors).toEqual([])
    const shownCells = Object.values(screen.rows)
      .flat()
      .filter((c) => c !== '–')
    expect(parsed.data.length).toBe(shownCells.length)
    for (const row of parsed.data) {
      const column = screen.groups.indexOf(row.group)
      expect(column, `group ${row.group}`).toBeGreaterThanOrEqual(0)
      expect(screen.rows[row.label]?.[column], `${row.label} / ${row.group}`).toBe(row.cell)
      // The number columns are the full precision of what the screen rounds.
      expect(row.cell.startsWith(formatValue(Number(row.estimate)))).toBe(true)
    }
    const v2Allocstall = parsed.data.find((r) => r.metric === 'allocstall' && r.group === 'v2')!
    expect(v2Allocstall.cell).toBe(allocstall[1])
    expect(v2Allocstall.paired).toBe('true')
    expect(v2Allocstall.test).toBe('paired-t')
    expect(v2Allocstall.check_test).toBe('wilcoxon')
    expect(v2Allocstall.n).toBe('5')

    // LaTeX: booktabs, one line per screen row with the same cells.
    const tex = await download(page, 'Export table as LaTeX')
    expect(tex.text).toContain('\\toprule')
    expect(tex.text).toContain('\\bottomrule')
    const body = tex.text.slice(tex.text.indexOf('\\midrule'), tex.text.indexOf('\\bottomrule'))
    const texRows = body
      .split('\n')
      .filter((l) => l.endsWith('\\\\') && !l.startsWith('\\multicolumn'))
      .map((l) => l.slice(0, -2).split(' & ').map(unLatex))
    expect(texRows.length).toBe(Object.keys(screen.rows).length)
    for (const [heading, better, ...cells] of texRows) {
      expect(better).toMatch(/^(lower|higher|neither)$/)
      expect(screen.rows[heading]).toEqual(cells)
    }
    expect(errors).toEqual([])

    const dark = await browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1400, height: 860 }
    })
    const darkPage = await dark.newPage()
    await darkPage.goto(
      notebook.url.replace(/#.*$/, '') + page.url().slice(page.url().indexOf('#'))
    )
    await darkPage.getByRole('table', { name: 'Comparison table' }).waitFor()
    await darkPage.getByRole('img', { name: /^Chart: Free memory/ }).waitFor()
    await darkPage.waitForTimeout(400)
    await darkPage.screenshot({ path: join(SCREENSHOTS, 'compare-dark.png'), fullPage: true })
    await dark.close()

    // Run summaries: one row per run, the notes column survives commas, quotes and newlines.
    const summaries = await download(page, 'Export run summaries as CSV')
    const runs = Papa.parse<Record<string, string>>(summaries.text, {
      header: true,
      skipEmptyLines: true
    })
    expect(runs.data.map((r) => `${r.variant}/${r.seed}`)).toEqual([
      'baseline/1',
      'baseline/2',
      'baseline/3',
      'baseline/4',
      'baseline/5',
      'v2/1',
      'v2/2',
      'v2/3',
      'v2/4',
      'v2/5'
    ])
    expect(runs.data.every((r) => r.warmup_s === '0')).toBe(true)

    // With a warm-up the run summaries CSV carries the numbers the table shows after it.
    const warmup = page.getByLabel('Warm-up seconds dropped from the summaries')
    // These runs start reclaiming at 6.7–7.2 s of the 8: cut into that.
    await warmup.fill('7')
    await warmup.press('Tab')
    await expect
      .poll(async () => (await renderedTable(page)).rows['pgscan_kswapd'][0])
      .not.toBe(screen.rows['pgscan_kswapd'][0])
    const cutScreen = await renderedTable(page)
    const cutRuns = Papa.parse<Record<string, string>>(
      (await download(page, 'Export run summaries as CSV')).text,
      { header: true, skipEmptyLines: true }
    ).data
    expect(cutRuns.map((r) => r.warmup_s)).toEqual(Array(10).fill('7'))
    for (const [column, variant] of ['baseline', 'v2'].entries()) {
      const values = cutRuns
        .filter((r) => r.variant === variant)
        .map((r) => Number(r.pgscan_kswapd))
      const mean = values.reduce((a, b) => a + b, 0) / values.length
      const shown = Number(cutScreen.rows['pgscan_kswapd'][column].split(' ±')[0].replace(/,/g, ''))
      expect(Math.abs(mean - shown), `${variant}: ${mean} vs ${shown}`).toBeLessThanOrEqual(
        0.005 * shown + 0.5
      )
    }
    // Latency histograms cover whole runs: not offered while a warm-up is set.
    expect(await page.getByRole('button', { name: 'Export histograms as CSV' }).isDisabled()).toBe(
      true
    )

    // The whole experiment as a bundle file, imported back as a second experiment with its runs.
    const [bundle] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export experiment bundle' }).click()
    ])
    expect(bundle.suggestedFilename()).toBe('kcompressd-v2-on-a-phone.reclaimlab.json')
    const before = page.url()
    await page.getByRole('button', { name: 'Import an experiment' }).click()
    await page.getByLabel('Bundle file to import').setInputFiles(await bundle.path())
    await page.getByRole('button', { name: 'Import experiment' }).click()
    await expect.poll(() => page.url()).not.toBe(before)
    await expect
      .poll(() => page.getByRole('link', { name: /kcompressd v2 on a phone/ }).count())
      .toBe(2)
    await expect
      .poll(() => page.getByRole('tab', { name: /^Runs/ }).textContent())
      .toContain('Runs (10)')
    await context.close()
  })

  it('shares a scenario by code and imports it as a new experiment', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'to be shared')
    await useShortPreset(page, 'single-cpu', '42')
    const json = await download(page, 'Download the scenario as JSON')
    expect(JSON.parse(json.text)).toMatchObject({ duration_s: 42 })
    await page.getByRole('button', { name: 'Share code…' }).click()
    const codeBox = page.getByLabel('Share code', { exact: true })
    await expect.poll(() => codeBox.inputValue()).toMatch(/^rl1-[A-Za-z0-9+\-$]+$/)
    const code = await codeBox.inputValue()
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Import an experiment' }).click()
    // The radio input sits under its label (Naive UI): click the label, which waits for the dialog.
    const dialog = page.getByRole('dialog', { name: 'Import an experiment' })
    await dialog.getByText('Share code', { exact: true }).click()
    await expect
      .poll(() => page.getByRole('radio', { name: 'Scenario share code' }).isChecked())
      .toBe(true)
    // A damaged code is refused and nothing is created.
    await page.getByLabel('Share code to import').fill(code.slice(0, -40))
    await page.getByRole('button', { name: 'Import experiment' }).click()
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/share code is damaged|not a Reclaim Lab share code/)
    await page.getByLabel('Share code to import').fill(code)
    await page.getByRole('button', { name: 'Import experiment' }).click()
    await page.getByRole('heading', { level: 1, name: 'Shared scenario (single-cpu)' }).waitFor()
    await expect.poll(() => page.getByLabel('duration_s', { exact: true }).inputValue()).toBe('42')
    expect(errors).toEqual([])
    await context.close()
  })

  it('imports a real /proc/vmstat capture as an observed run, and refuses a malformed one', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'observed beside simulated')
    await useShortPreset(page, 'single-cpu', '4')
    await page.getByRole('tab', { name: /^Runs/ }).click()

    await page.getByRole('button', { name: 'Import an observed run' }).click()
    await page.getByLabel('Observed run name').fill('broken capture')
    await page.getByLabel('vmstat snapshots file').setInputFiles({
      name: 'broken.log',
      mimeType: 'text/plain',
      buffer: Buffer.from('1700000000.0\nnr_free_pages 100\npgfault twelve\n')
    })
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('line 3')
    await page.getByLabel('Observed run name').fill('this VM, idle')
    await page
      .getByLabel('vmstat snapshots file')
      .setInputFiles(join(FIXTURES, 'vmstat-snapshots.log'))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect
      .poll(() => page.getByRole('row', { name: /observed this VM, idle, done$/ }).count())
      .toBe(1)
    expect(await page.getByRole('row', { name: /^Run \d+:/ }).count()).toBe(1)
    expect(errors).toEqual([])
    await context.close()
  })
})
