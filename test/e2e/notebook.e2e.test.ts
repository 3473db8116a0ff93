import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createExperiment,
  launchChromium,
  openNotebook,
  SCREENSHOTS,
  startNotebook,
  type Notebook
} from './harness'

describe('notebook in Chromium (serve mode)', () => {
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

  it('keeps a created experiment across a reload', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    await createExperiment(page, 'v2 on an 8 GiB phone')
    expect(page.url()).toMatch(/#\/experiments\/\d+$/)
    expect(page.url()).not.toContain('token=')
    await page.reload()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('v2 on an 8 GiB phone')
    await expect
      .poll(() => page.getByRole('list', { name: 'Experiment list' }).textContent())
      .toContain('v2 on an 8 GiB phone')
    expect(errors).toEqual([])
    await context.close()
  })

  it('renders notes as markdown without running scripts or event handlers in them', async () => {
    const { context, page, errors } = await openNotebook(browser, notebook)
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await createExperiment(page, 'hostile notes')
    const notes = [
      '## Result',
      'pgsteal_anon **rose**',
      '<script>window.__pwned = "script"; alert("script")</script>',
      '<img src="x" onerror="window.__pwned = \'onerror\'; alert(\'onerror\')">',
      '<a href="javascript:alert(1)">click</a>'
    ].join('\n\n')
    await page.getByLabel('Notes (markdown)').fill(notes)
    const preview = page.getByLabel('Notes preview')
    await expect.poll(() => preview.locator('h2').textContent()).toBe('Result')
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('Saved')
    await page.reload()
    await preview.locator('strong').waitFor()
    expect(await preview.locator('strong').textContent()).toBe('rose')
    await page.waitForTimeout(300)
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)
    ).toBeUndefined()
    expect(await preview.locator('script').count()).toBe(0)
    expect(await preview.locator('[onerror]').count()).toBe(0)
    expect(await preview.locator('a').getAttribute('href')).toBeNull()
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('finds an experiment by a word of its notes', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'refault study')
    await page
      .getByLabel('Notes (markdown)')
      .fill('workingset_refault_anon doubled under thrashing')
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('Saved')
    await page.keyboard.press('Control+k')
    await page.getByRole('searchbox', { name: 'Search experiments' }).fill('thrashing')
    const list = page.getByRole('list', { name: 'Experiment list' })
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1)
    expect(await list.textContent()).toContain('refault study')
    await expect.poll(() => list.locator('mark').textContent()).toBe('thrashing')
    await page.getByRole('searchbox', { name: 'Search experiments' }).fill('nosuchword')
    await expect.poll(() => page.getByText('Nothing matches.').count()).toBe(1)

    // Sorted by title instead of last update, and still so after a reload in this tab.
    await page.getByRole('searchbox', { name: 'Search experiments' }).fill('')
    const titles = () =>
      list.getByRole('link').evaluateAll((els) => els.map((e) => e.firstElementChild!.textContent))
    await expect.poll(titles).toEqual(['refault study', 'hostile notes', 'v2 on an 8 GiB phone'])
    await page.getByLabel('Sort experiments').click()
    await page.getByText('Title A–Z', { exact: true }).click()
    await expect.poll(titles).toEqual(['hostile notes', 'refault study', 'v2 on an 8 GiB phone'])
    await page.reload()
    await expect.poll(titles).toEqual(['hostile notes', 'refault study', 'v2 on an 8 GiB phone'])
    expect(await page.getByLabel('Sort experiments').textContent()).toContain('Title A–Z')
    await context.close()
  })

  it('asks before deleting, keeps the experiment on cancel, removes it on confirm', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'doomed experiment')
    const list = page.getByRole('list', { name: 'Experiment list' })
    await page.getByRole('button', { name: 'Delete experiment' }).click()
    const confirm = page.getByRole('dialog')
    await expect.poll(() => confirm.textContent()).toContain('Delete experiment?')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    expect(await list.textContent()).toContain('doomed experiment')
    await page.getByRole('button', { name: 'Delete experiment' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => list.textContent()).not.toContain('doomed experiment')
    await expect.poll(() => page.url()).toMatch(/#\/$/)
    await context.close()
  })

  it('shows a validation error inline and keeps the old title', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'well named')
    await page.getByRole('button', { name: 'Rename experiment' }).click()
    const input = page.getByLabel('Experiment title')
    await input.fill('   ')
    await input.press('Enter')
    await expect
      .poll(async () => (await page.getByRole('alert').first().textContent())?.trim())
      .toBe('Title must not be empty')
    await input.press('Escape')
    await page.reload()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('well named')
    await context.close()
  })

  it('renames, tags, filters by tag and duplicates', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    await createExperiment(page, 'to rename')
    await page.getByRole('button', { name: 'Rename experiment' }).click()
    await page.getByLabel('Experiment title').fill('renamed: proto as posted')
    await page.getByLabel('Experiment title').press('Enter')
    await page.getByRole('heading', { level: 1, name: 'renamed: proto as posted' }).waitFor()
    await page.getByLabel('Tags').getByRole('button').click()
    await page.getByLabel('Tags').locator('input').fill('proto')
    await page.getByLabel('Tags').locator('input').press('Enter')
    await page.getByRole('checkbox', { name: 'Tag proto' }).click()
    const list = page.getByRole('list', { name: 'Experiment list' })
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1)
    await page.getByRole('button', { name: 'Duplicate experiment' }).click()
    await page.getByRole('heading', { level: 1, name: 'renamed: proto as posted (copy)' }).waitFor()
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2)
    await context.close()
  })

  it('opens the new-experiment dialog and the search box from the keyboard', async () => {
    const { context, page } = await openNotebook(browser, notebook)
    expect(
      await page
        .getByRole('navigation', { name: 'Experiments' })
        .getByRole('button', { name: 'New experiment' })
        .getAttribute('aria-keyshortcuts')
    ).toBe('Control+N Alt+N')
    await page.keyboard.press('Alt+n')
    await page.getByLabel('Title', { exact: true }).waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    await page.locator('body').press('/')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Search experiments')

    // The experiment list is as wide as the user makes it, from the keyboard too, after a reload.
    const list = page.getByRole('navigation', { name: 'Experiments' })
    const separator = page.getByRole('separator', { name: 'Width of the experiment list' })
    const before = (await list.boundingBox())!.width
    const value = Number(await separator.getAttribute('aria-valuenow'))
    await separator.focus()
    await page.keyboard.press('Shift+ArrowRight')
    await expect.poll(() => separator.getAttribute('aria-valuenow')).toBe(String(value + 64))
    await expect.poll(async () => (await list.boundingBox())!.width).toBeCloseTo(before + 64, 0)
    await page.reload()
    await expect
      .poll(() =>
        page
          .getByRole('separator', { name: 'Width of the experiment list' })
          .getAttribute('aria-valuenow')
      )
      .toBe(String(value + 64))
    await page.getByRole('separator', { name: 'Width of the experiment list' }).press('Home')
    await expect
      .poll(
        async () =>
          (await page.getByRole('navigation', { name: 'Experiments' }).boundingBox())!.width
      )
      .toBeCloseTo(200, 0)
    await context.close()
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`looks right in the ${scheme} theme (screenshot)`, async () => {
      const { context, page } = await openNotebook(browser, notebook, scheme)
      await createExperiment(page, `kcompressd v2 vs baseline (${scheme})`)
      await page
        .getByLabel('Hypothesis')
        .first()
        .fill('Offloading compression from kswapd halves allocstall on an 8 GiB phone.')
      await page.getByLabel('Notes (markdown)').fill(SAMPLE_NOTES)
      await expect
        .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
        .toContain('Saved')
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(background).toBe(scheme === 'dark' ? 'rgb(22, 24, 29)' : 'rgb(255, 255, 255)')
      await page.screenshot({ path: join(SCREENSHOTS, `shell-${scheme}.png`) })
      await context.close()
    })
  }

  it('opens another notebook file chosen in Settings from the next start on', async () => {
    const home = mkdtempSync(join(tmpdir(), 'reclaim-lab-home-'))
    const chosen = join(home, 'phone-lab.sqlite')
    const settings = async (page: Page) => {
      await page.getByRole('link', { name: 'Settings' }).click()
      return page.getByLabel('Notebook file for the next start')
    }
    try {
      const first = await startNotebook({ dataHome: home })
      try {
        const { context, page, errors } = await openNotebook(browser, first)
        await createExperiment(page, 'kept in the default notebook')
        const file = await settings(page)
        await file.fill(join(home, 'missing', 'lab.sqlite'))
        await page.getByRole('button', { name: 'Use at next start' }).click()
        await expect
          .poll(() => page.getByRole('alert').first().textContent())
          .toBe(`the folder ${join(home, 'missing')} does not exist`)
        await file.fill(chosen)
        await page.getByRole('button', { name: 'Use at next start' }).click()
        await expect
          .poll(() => page.getByRole('status').filter({ hasText: 'next start' }).textContent())
          .toContain(`The next start opens ${chosen}`)
        expect(errors).toEqual([])
        await context.close()
      } finally {
        await first.stop()
      }

      const second = await startNotebook({ dataHome: home })
      try {
        const { context, page } = await openNotebook(browser, second)
        await expect.poll(() => page.getByRole('contentinfo').textContent()).toContain(chosen)
        expect(await page.getByText('kept in the default notebook').count()).toBe(0)
        await settings(page)
        await page.getByRole('button', { name: 'Back to the default' }).click()
        await expect
          .poll(() => page.getByRole('status').filter({ hasText: 'next start' }).textContent())
          .toContain(`The next start opens ${join(home, 'reclaim-lab', 'notebook.sqlite')}`)
        await context.close()
      } finally {
        await second.stop()
      }
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})

const SAMPLE_NOTES = `## Setup
Pixel-class phone, 8 GiB, zram lz4, \`vm.swappiness=100\`.

| variant | allocstall | pgsteal_anon/s |
|---|---:|---:|
| baseline | 1,204 | 301k |
| v2 | 523 | 812k |

## Observations
- kswapd stays runnable while kcompressd compresses on a big core.
- Check \`pgscan_kswapd\` for re-scanned folios.

\`\`\`
grep -E 'allocstall|pgsteal_anon' /proc/vmstat
\`\`\`
`
