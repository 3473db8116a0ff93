import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const ROOT = join(__dirname, '..', '..')
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')

export interface Notebook {
  url: string
  dbPath: string
  stop(): Promise<void>
}

/**
 * `reclaim-lab serve` on a random port over a fresh temporary database; or, with `dataHome`, without
 * --db over the notebook that folder's data directory says (as a user's plain `npm run serve`); or,
 * with `db`, over that file, kept at stop. `port: null` leaves --port out, as a user's plain serve.
 */
export async function startNotebook(
  options: { dataHome?: string; db?: string; port?: number | null; args?: string[] } = {}
): Promise<Notebook> {
  const temp =
    options.dataHome || options.db ? null : mkdtempSync(join(tmpdir(), 'reclaim-lab-e2e-'))
  const dbPath = options.dataHome
    ? join(options.dataHome, 'reclaim-lab', 'notebook.sqlite')
    : (options.db ?? join(temp!, 'notebook.sqlite'))
  const port = options.port === undefined ? 0 : options.port
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(ROOT, 'src', 'cli', 'index.ts'),
      'serve',
      ...(port === null ? [] : ['--port', String(port)]),
      ...(options.dataHome ? [] : ['--db', dbPath]),
      ...(options.args ?? [])
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.dataHome ? { ...process.env, XDG_DATA_HOME: options.dataHome } : process.env
    }
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
  return {
    url,
    dbPath,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await exited
      if (temp) rmSync(temp, { recursive: true, force: true })
    }
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage'
    ]
  })
}

/** A page with the notebook open; uncaught page errors fail the test that reads `errors`. */
export async function openNotebook(
  browser: Browser,
  notebook: Notebook,
  colorScheme: 'light' | 'dark' = 'light'
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1400, height: 860 } })
  // Fail a stuck wait with its locator well before the test's own timeout.
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(notebook.url)
  await page.getByRole('navigation', { name: 'Experiments' }).waitFor()
  return { context, page, errors }
}

export async function createExperiment(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New experiment' }).first().click()
  await page.getByLabel('Title', { exact: true }).fill(title)
  await page.getByRole('button', { name: 'Create', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
}

/** Starts the open experiment's scenario from a preset with a shorter duration; it saves itself. */
export async function useShortPreset(page: Page, preset: string, duration: string): Promise<void> {
  await page.getByRole('tab', { name: 'Scenario' }).click()
  await page.getByRole('button', { name: `Start from ${preset}` }).click()
  const durationInput = page.getByLabel('duration_s', { exact: true })
  await durationInput.fill(duration)
  await durationInput.press('Tab')
  await scenarioSaveState(page, /^\s*Saved\s*$/).waitFor()
}

/** The Scenario tab's save state ("Edited", "Saving…", "Saved", "Not saved: …") matching `text`. */
export function scenarioSaveState(page: Page, text: RegExp) {
  return page
    .getByRole('region', { name: 'Scenario' })
    .getByRole('status')
    .filter({ hasText: text })
}

/** Clicks a button that saves a file and returns the file's suggested name and bytes. */
export async function download(
  page: Page,
  button: string
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click()
  ])
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) }
}
