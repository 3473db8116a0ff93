import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import type { Browser, BrowserContext, Page } from 'playwright-core'
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

const PROTO_BUG = 'proto as posted: kcompressd is created and woken once at boot'
const THEMES = ['light', 'dark'] as const

async function saved(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click()
  ])
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') }
}

/** The compare table as the screen shows it: row heading → [Better, cells…], with each cell's colour. */
async function screenTable(page: Page) {
  return page.getByRole('table', { name: 'Comparison table' }).evaluate((table) => {
    const groups = Array.from(table.querySelectorAll(':scope > thead th.group')).map((th) =>
      (th.childNodes[1]?.textContent ?? '').trim()
    )
    const rows: Record<string, { better: string; cells: string[]; colours: string[] }> = {}
    let plain = ''
    for (const tr of Array.from(table.querySelectorAll(':scope > tbody > tr'))) {
      const head = tr.querySelector(':scope > th[scope="row"]')
      if (!head) continue
      const tds = Array.from(tr.querySelectorAll(':scope > td'))
      plain ||= getComputedStyle(head).color
      rows[head.textContent!.replace(/\s+/g, ' ').trim()] = {
        better: tds[0].textContent!.trim(),
        cells: tds.slice(1).map((td) => td.textContent!.trim()),
        colours: tds.slice(1).map((td) => getComputedStyle(td).color)
      }
    }
    const css = getComputedStyle(document.documentElement)
    const palette = ['--rl-better', '--rl-worse', '--rl-changed'].map((v) => {
      const probe = document.createElement('span')
      probe.style.color = css.getPropertyValue(v)
      document.body.append(probe)
      const colour = getComputedStyle(probe).color
      probe.remove()
      return colour
    })
    return { groups, rows, plain, palette }
  })
}

async function chooseOption(page: Page, select: string, option: string): Promise<void> {
  await page.getByLabel(select, { exact: true }).click()
  await page.getByRole('option', { name: option, exact: true }).click()
}

async function shoot(context: BrowserContext, url: string, name: string, ready: string) {
  for (const theme of THEMES) {
    const page = await context.browser()!.newPage({
      colorScheme: theme,
      viewport: { width: 1400, height: 1000 }
    })
    await page.goto(url)
    await page.getByRole('region', { name: ready }).first().waitFor()
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${theme}.png`) })
    await page.close()
  }
}

describe('comparisons that explain themselves, and the tools users know (issue 13)', () => {
  let notebook: Notebook
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let errors: string[]
  let compareUrl = ''
  /** The page's view in a new tab: the printed URL (with the token) and the view's hash. */
  const here = (p: Page) => notebook.url.replace(/#.*$/, '') + p.url().slice(p.url().indexOf('#'))

  beforeAll(async () => {
    ;[notebook, browser] = await Promise.all([startNotebook(), launchChromium()])
    ;({ context, page, errors } = await openNotebook(browser, notebook))
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await notebook?.stop()
  })

  it('runs baseline, proto and v2 over 4 seeds, and a reference experiment', async () => {
    // A second experiment first, to compare across experiments later.
    await createExperiment(page, 'phone reference')
    await useShortPreset(page, 'memory-eater', '8')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('1-2')
    await page.getByRole('button', { name: 'Run batch' }).click()
    await createExperiment(page, 'proto against baseline')
    // The memory eater: big enough effects of v2 for 4 seeds to tell apart in 8 simulated seconds.
    await useShortPreset(page, 'memory-eater', '8')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByRole('checkbox', { name: 'proto' }).click()
    await page.getByRole('checkbox', { name: 'v2' }).click()
    await page.getByLabel('Seeds').fill('1-4')
    await page.getByRole('button', { name: 'Run batch' }).click()
    await expect
      .poll(() => page.getByRole('row', { name: /, done$/ }).count(), {
        timeout: 240_000,
        interval: 1000
      })
      .toBe(12)
    await page.getByRole('tab', { name: 'Compare' }).click()
    await page.getByRole('table', { name: 'Comparison table' }).waitFor()
    compareUrl = here(page)
  }, 300_000)

  it('3: says on Compare and in every export why proto equals baseline', async () => {
    const warnings = page.getByRole('region', { name: 'Warnings of the compared runs' })
    await expect.poll(() => warnings.textContent()).toContain(`proto (all 4 runs): ${PROTO_BUG}`)
    expect(await warnings.textContent()).toContain('kfifo_in(&fifo, folio, sizeof(folio))')
    await page.getByRole('img', { name: /^proto: \d+ warnings, listed above the table$/ }).waitFor()

    const md = await saved(page, 'Export table as Markdown')
    const note = md.text.slice(md.text.indexOf('**Warnings from the compared runs:**'))
    expect(note).toContain(`- proto (all 4 runs): ${PROTO_BUG}`)
    expect(md.text.indexOf('**Warnings')).toBeGreaterThan(md.text.indexOf('| allocstall |'))
    const tex = await saved(page, 'Export table as LaTeX')
    expect(tex.text).toContain('\\textbf{Warnings from the compared runs.}')
    expect(tex.text).toContain('\\par proto (all 4 runs): proto as posted: kcompressd is created')
    const csv = Papa.parse<Record<string, string>>(
      (await saved(page, 'Export table as CSV')).text,
      { header: true, skipEmptyLines: true }
    ).data
    const byGroup = (g: string) => csv.filter((r) => r.group === g)
    expect(byGroup('proto').every((r) => r.warnings.includes(PROTO_BUG))).toBe(true)
    expect(byGroup('baseline').every((r) => !r.warnings.includes(PROTO_BUG))).toBe(true)
    expect(errors).toEqual([])
  })

  it('5 and 10: states better directions, colours every significant change and only those, CSV at full precision', async () => {
    const screen = await screenTable(page)
    expect(screen.groups).toEqual(['baseline', 'proto', 'v2'])
    expect(screen.rows['allocstall'].better).toBe('lower')
    expect(screen.rows['kswapd_efficiency_pct (%)'].better).toBe('higher')
    expect(screen.rows['pswpout'].better).toBe('neither')
    const caption = await page
      .getByRole('table', { name: 'Comparison table' })
      .locator('caption')
      .textContent()
    expect(caption).toContain('Green: a significant (*) change in the better direction')
    expect(caption).toContain('blue: a significant change where neither direction is better')
    let marked = 0
    const used = new Set<string>()
    for (const [heading, row] of Object.entries(screen.rows))
      row.cells.forEach((cell, i) => {
        const coloured = row.colours[i] !== screen.plain
        expect(coloured, `${heading} / ${screen.groups[i]}: ${cell}`).toBe(cell.endsWith('*'))
        if (coloured) {
          marked++
          expect(screen.palette).toContain(row.colours[i])
          used.add(row.colours[i])
        }
      })
    // Significant cells: 10 with simulator 0.11.1, enough to see every colour in use.
    expect(marked).toBeGreaterThanOrEqual(8)
    // v2 on the memory eater: better, worse, and changes neither better nor worse.
    expect(used).toEqual(new Set(screen.palette))

    // Full precision beside the screen text: the same number, more digits where it has them.
    const csv = Papa.parse<Record<string, string>>(
      (await saved(page, 'Export table as CSV')).text,
      { header: true, skipEmptyLines: true }
    ).data
    let finer = 0
    for (const r of csv) {
      expect(r.cell.startsWith(formatValue(Number(r.estimate))), `${r.label} ${r.group}`).toBe(true)
      if (Number(r.estimate) !== Number(formatValue(Number(r.estimate)).replace(/,/g, ''))) finer++
    }
    expect(finer).toBeGreaterThan(10)
    expect(csv.find((r) => r.metric === 'allocstall')!.better).toBe('lower')
  })

  it('5: offers stddev, min and max rows, and a metric per seed on click', async () => {
    await page.getByRole('checkbox', { name: 'stddev / min / max' }).click()
    await expect
      .poll(async () => Object.keys((await screenTable(page)).rows))
      .toContain('allocstall min')
    await page.getByRole('button', { name: 'allocstall: show per seed' }).click()
    const perSeed = page.getByRole('region', { name: 'allocstall per seed' })
    await perSeed
      .getByRole('img', { name: /^Chart: allocstall per seed, baseline 4, proto 4, v2 4$/ })
      .waitFor()
    expect(await perSeed.textContent()).toContain('grey lines join a seed across groups')
    const bySeed = await perSeed
      .getByRole('table', { name: 'allocstall by seed' })
      .evaluate((t) =>
        Array.from(t.querySelectorAll(':scope > tbody > tr')).map((tr) =>
          Array.from(tr.querySelectorAll('td')).map((td) =>
            Number(td.textContent!.replace(/,/g, ''))
          )
        )
      )
    expect(bySeed).toHaveLength(4)
    const rows = (await screenTable(page)).rows
    for (const [i, column] of [0, 1, 2].entries()) {
      const values = bySeed.map((r) => r[column])
      expect(rows['allocstall min'].cells[i]).toBe(formatValue(Math.min(...values)))
      expect(rows['allocstall max'].cells[i]).toBe(formatValue(Math.max(...values)))
    }
    const md = (await saved(page, 'Export table as Markdown')).text
    expect(md).toContain(`| allocstall min |  | ${rows['allocstall min'].cells.join(' | ')} |`)
    for (const theme of THEMES) {
      const shot = await browser.newPage({
        colorScheme: theme,
        viewport: { width: 1400, height: 1000 }
      })
      await shot.goto(compareUrl)
      await shot.getByRole('checkbox', { name: 'stddev / min / max' }).click()
      await shot.getByRole('button', { name: 'allocstall: show per seed' }).click()
      await shot.getByRole('region', { name: 'allocstall per seed' }).scrollIntoViewIfNeeded()
      await shot.waitForTimeout(600)
      await shot.screenshot({ path: join(SCREENSHOTS, `compare-per-seed-${theme}.png`) })
      await shot.close()
    }
    await perSeed.getByRole('button', { name: 'Close the per-seed view' }).click()
    await page.getByRole('checkbox', { name: 'stddev / min / max' }).click()
  })

  it('5 and 10: a baseline picked from options; a change against zero carries no mark', async () => {
    await page.getByLabel('Baseline group', { exact: true }).click()
    const options = page.getByRole('listbox', { name: 'Baseline groups' }).getByRole('option')
    expect(await options.allTextContents()).toEqual(['baseline', 'proto', 'v2'])
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    await page.getByRole('option', { name: 'proto', exact: true }).click()
    await expect
      .poll(async () => (await screenTable(page)).rows['allocstall'].cells[1])
      .toMatch(/\(0\.00%\)$/)
    const rows = (await screenTable(page)).rows
    const na = Object.entries(rows).filter(([, r]) => r.cells.some((c) => c.includes('(n/a)')))
    expect(na.length).toBeGreaterThan(0)
    for (const [heading, row] of na)
      for (const c of row.cells.filter((x) => x.includes('(n/a)')))
        expect(c, heading).toMatch(/\(n\/a\)$/)
    await chooseOption(page, 'Baseline group', 'baseline')
  })

  it('6: smooths with a stated rolling mean, dashes each group, isolates one, keeps labels apart', async () => {
    const charts = page.getByRole('region', { name: 'Time series compared' })
    await charts.getByRole('img', { name: /^Chart: Free memory/ }).waitFor()
    const raw = await saved(page, 'Save chart Free memory (nr_free_pages) as SVG')
    expect(raw.text).toContain('>baseline<')
    await chooseOption(page, 'Smoothing: rolling mean window', '1 s')
    expect(await charts.textContent()).toContain('rolling mean 1 s of each seed first')
    const smooth = await saved(page, 'Save chart Free memory (nr_free_pages) as SVG')
    for (const g of ['baseline', 'proto', 'v2'])
      expect(smooth.text).toContain(`>${g} (rolling mean 1 s)<`)
    // The baseline solid, proto and v2 each in a dash of their own.
    const dashes = new Set(
      [...smooth.text.matchAll(/stroke-dasharray="([^"]+)"/g)].map((m) => m[1])
    )
    expect(dashes.size).toBeGreaterThanOrEqual(2)

    const legend = page.getByRole('group', { name: 'Groups in the charts' })
    await legend.getByRole('button', { name: 'Show only proto in the charts' }).click()
    await charts
      .getByRole('img', { name: /^Chart: Free memory \(nr_free_pages\), proto$/ })
      .waitFor()
    expect(
      await legend
        .getByRole('button', { name: 'Show baseline in the charts' })
        .getAttribute('aria-pressed')
    ).toBe('false')
    await legend.getByRole('button', { name: 'Show every group in the charts' }).click()
    await charts
      .getByRole('img', { name: /^Chart: Free memory \(nr_free_pages\), baseline vs proto vs v2$/ })
      .waitFor()

    // Shares of time on a 0–100% axis step by 25: no "90%" squeezed under "100%".
    let full = 0
    for (const title of ['PSI memory some (share of time stalled)', 'kswapd CPU']) {
      const svg = (await saved(page, `Save chart ${title} as SVG`)).text
      if (svg.includes('>100%<')) {
        full++
        expect(svg).toContain('>75%<')
        expect(svg).not.toContain('>90%<')
      }
    }
    expect(full).toBeGreaterThan(0)
    await shoot(context, compareUrl, 'compare-top', 'Warnings of the compared runs')
    for (const theme of THEMES) {
      const shot = await browser.newPage({
        colorScheme: theme,
        viewport: { width: 1400, height: 1000 }
      })
      await shot.goto(compareUrl)
      const region = shot.getByRole('region', { name: 'Time series compared' })
      await region.getByRole('img', { name: /^Chart: Free memory/ }).waitFor()
      await chooseOption(shot, 'Smoothing: rolling mean window', '1 s')
      await region.scrollIntoViewIfNeeded()
      await shot.waitForTimeout(800)
      await shot.screenshot({ path: join(SCREENSHOTS, `compare-charts-${theme}.png`) })
      await shot.close()
    }
    await chooseOption(page, 'Smoothing: rolling mean window', 'off')
    expect(errors).toEqual([])
  })

  it('9: compares runs across experiments', async () => {
    await page.getByLabel('Add runs of other experiments', { exact: true }).click()
    await page.getByRole('option', { name: /^#1 phone reference$/ }).click()
    await page.keyboard.press('Escape')
    await expect
      .poll(async () => (await screenTable(page)).groups)
      .toEqual(['baseline', 'proto', 'v2', '#1 baseline'])
    const rows = (await screenTable(page)).rows
    expect(rows['allocstall'].cells[3]).toMatch(/^[\d,.]+ ± [\d,.]+ \([+-]\d+\.\d\d%\)[*~]?$/)
    await page.getByRole('checkbox', { name: /^#1 baseline/ }).waitFor()
    // Picked again, the experiment leaves the comparison.
    await page.getByLabel('Add runs of other experiments', { exact: true }).click()
    await page.getByRole('option', { name: /^#1 phone reference$/ }).click()
    await page.keyboard.press('Escape')
    await expect
      .poll(async () => (await screenTable(page)).groups)
      .toEqual(['baseline', 'proto', 'v2'])
  })

  it('9: downloads a run’s trace for Perfetto, regenerated from its scenario and seed', async () => {
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByRole('row', { name: /^Run \d+: proto seed 2, done$/ }).click()
    const panel = page.getByRole('region', { name: 'Event trace' })
    const link = panel.getByRole('link', { name: 'Open ui.perfetto.dev' })
    expect(await link.getAttribute('href')).toBe('https://ui.perfetto.dev/')
    expect(await panel.textContent()).toContain('choose Open trace file there')
    const file = await saved(page, 'Download the event trace for Perfetto')
    expect(file.name).toMatch(/^proto-against-baseline-run-\d+-proto-seed-2\.trace\.json$/)
    const trace = JSON.parse(file.text) as {
      traceEvents: Array<{ name: string; ph: string; args?: { name?: string } }>
      displayTimeUnit: string
    }
    const status = await panel.getByRole('status').textContent()
    expect(status).toContain(`${trace.traceEvents.length.toLocaleString('en-US')} events`)
    expect(trace.traceEvents.filter((e) => e.ph === 'M').map((e) => e.args?.name)).toContain(
      'kswapd0'
    )
    // The same run regenerated again is the same trace.
    expect((await saved(page, 'Download the event trace for Perfetto')).text).toBe(file.text)
    await shoot(context, here(page), 'run-trace', 'Event trace')
    for (const theme of THEMES) {
      const shot = await browser.newPage({
        colorScheme: theme,
        viewport: { width: 1400, height: 1000 }
      })
      await shot.goto(here(page))
      await shot.getByRole('region', { name: 'Event trace' }).scrollIntoViewIfNeeded()
      await shot.waitForTimeout(400)
      await shot.screenshot({ path: join(SCREENSHOTS, `run-trace-panel-${theme}.png`) })
      await shot.close()
    }
    expect(errors).toEqual([])
  })

  it('9: draws a running run’s charts as it goes', async () => {
    await createExperiment(page, 'a long run')
    await useShortPreset(page, 'phone-8g-appswitch', '3000')
    await page.getByRole('tab', { name: /^Runs/ }).click()
    await page.getByLabel('Seeds').fill('1')
    await page.getByRole('button', { name: 'Run batch' }).click()
    await page
      .getByRole('row', { name: /^Run \d+: baseline seed 1, running$/ })
      .click({ timeout: 30_000 })
    const live = page.getByRole('region', { name: 'Live charts' })
    await live.getByRole('img').first().waitFor({ timeout: 30_000 })
    const upTo = async () =>
      Number(
        /up to ([\d.]+) s of 3000 s/.exec((await live.getByRole('status').textContent()) ?? '')?.[1]
      )
    const first = await upTo()
    expect(first).toBeGreaterThan(0)
    await expect.poll(upTo, { timeout: 20_000 }).toBeGreaterThan(first)
    for (const theme of THEMES) {
      const shot = await browser.newPage({
        colorScheme: theme,
        viewport: { width: 1400, height: 1000 }
      })
      await shot.goto(here(page))
      await shot
        .getByRole('region', { name: 'Live charts' })
        .getByRole('img')
        .first()
        .waitFor({ timeout: 20_000 })
      await shot.waitForTimeout(600)
      await shot.screenshot({ path: join(SCREENSHOTS, `run-live-${theme}.png`) })
      await shot.close()
    }
    await page.getByRole('button', { name: /^Cancel run \d+$/ }).click()
    await page.getByText('This run was cancelled').waitFor()
    await expect.poll(() => live.count()).toBe(0)
    expect(errors).toEqual([])
  })
})
