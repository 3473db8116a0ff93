import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WORKER_ENTRY } from './lab'
import { MIGRATIONS_DIR } from './tmp'

const ROOT = join(__dirname, '..', '..')

/**
 * Another process opening the notebook as serve and the app do (openLab), then exiting without
 * closing it: prints `opened`, or the error on stderr. The script is written into `dir`.
 */
export function openLabElsewhere(
  dir: string,
  path: string,
  as: { uid: number; gid: number } | object = {}
): SpawnSyncReturns<string> {
  const script = join(dir, 'open-lab.ts')
  writeFileSync(
    script,
    `import { openLab } from ${JSON.stringify(join(ROOT, 'src', 'lab', 'lab.ts'))}
try {
  openLab({ databasePath: process.argv[2], migrationsDir: ${JSON.stringify(MIGRATIONS_DIR)},
    workerEntry: ${JSON.stringify(WORKER_ENTRY)}, workers: 1 })
  console.log('opened')
} catch (err) {
  console.error((err as Error).message)
}
process.exit(0)
`
  )
  return spawnSync(process.execPath, ['--import', 'tsx', script, path], {
    cwd: ROOT,
    encoding: 'utf8',
    ...as
  })
}
