import { beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/lab/store/database'
import { ExperimentRepository } from '../../../../src/lab/store/repositories/experiments'
import { TagRepository } from '../../../../src/lab/store/repositories/tags'
import { MIGRATIONS_DIR } from '../../../helpers/tmp'

function clock() {
  let t = Date.parse('2025-03-07T12:00:00Z')
  return () => new Date((t += 1000)).toISOString()
}

describe('ExperimentRepository', () => {
  let repo: ExperimentRepository
  let tags: TagRepository

  beforeEach(() => {
    const { db } = openDatabase(':memory:', { migrationsDir: MIGRATIONS_DIR })
    repo = new ExperimentRepository(db, clock())
    tags = new TagRepository(db)
  })

  it('creates and reads back every field', () => {
    const created = repo.create({
      title: 'v2 on phone',
      hypothesis: 'allocstall halves',
      notes: '# Setup\n8 GiB',
      tags: ['zram', 'phone']
    })
    expect(created).toEqual({
      id: 1,
      title: 'v2 on phone',
      hypothesis: 'allocstall halves',
      notes: '# Setup\n8 GiB',
      tags: ['phone', 'zram'],
      preset: null,
      scenario: null,
      runCount: 0,
      unfinishedRunCount: 0,
      createdAt: '2025-03-07T12:00:01.000Z',
      updatedAt: '2025-03-07T12:00:01.000Z',
      importedAt: null
    })
    expect(repo.get(1)).toEqual(created)
  })

  it('renames and edits notes, moving updatedAt but not createdAt', () => {
    const { id } = repo.create({ title: 'a', hypothesis: '', notes: '', tags: [] })
    const renamed = repo.update(id, { title: 'baseline vs v1' })
    const noted = repo.update(id, { notes: 'kswapd at 100% CPU' })
    expect(noted.title).toBe('baseline vs v1')
    expect(noted.notes).toBe('kswapd at 100% CPU')
    expect(noted.createdAt).toBe('2025-03-07T12:00:01.000Z')
    expect(renamed.updatedAt < noted.updatedAt).toBe(true)
  })

  it('lists most recently updated first, or by title', () => {
    const a = repo.create({ title: 'Beta', hypothesis: '', notes: '', tags: [] })
    repo.create({ title: 'alpha', hypothesis: '', notes: '', tags: [] })
    repo.update(a.id, { notes: 'touched' })
    expect(repo.list().map((e) => e.title)).toEqual(['Beta', 'alpha'])
    expect(repo.list({ sort: 'title' }).map((e) => e.title)).toEqual(['alpha', 'Beta'])
  })

  it('finds experiments by a word of their notes or title, with a marked snippet', () => {
    repo.create({
      title: 'zswap build',
      hypothesis: '',
      notes: 'writeback to disk was slow',
      tags: []
    })
    repo.create({
      title: 'phone',
      hypothesis: '',
      notes: 'kswapd woke 40 times per second',
      tags: []
    })
    const hits = repo.list({ query: 'kswap' })
    expect(hits.map((h) => h.title)).toEqual(['phone'])
    expect('snippet' in hits[0] && hits[0].snippet).toContain('«kswapd»')
    expect(repo.list({ query: 'zswap' }).map((h) => h.title)).toEqual(['zswap build'])
    // FTS operators and quotes in the input are searched for, never interpreted.
    expect(repo.list({ query: '"unbalanced OR NEAR(' })).toEqual([])
    expect(repo.list({ query: '   ' }).length).toBe(2)
  })

  it('keeps search in step with edits and deletes', () => {
    const { id } = repo.create({ title: 'x', hypothesis: '', notes: 'refault storm', tags: [] })
    repo.update(id, { notes: 'quiet' })
    expect(repo.list({ query: 'storm' })).toEqual([])
    expect(repo.list({ query: 'quiet' }).map((h) => h.id)).toEqual([id])
    repo.delete(id)
    expect(repo.list({ query: 'quiet' })).toEqual([])
  })

  it('finds experiments by a word of their hypothesis or tags, in step with tag changes', () => {
    const { id } = repo.create({
      title: 'app switching',
      hypothesis: 'kcompressd halves allocstall',
      notes: '',
      tags: ['pixel6', 'MGLRU']
    })
    repo.create({ title: 'eater', hypothesis: '', notes: 'no tags here', tags: ['zram'] })
    expect(repo.list({ query: 'halves' }).map((h) => h.id)).toEqual([id])
    expect(repo.list({ query: 'pixel' }).map((h) => h.id)).toEqual([id])
    expect(repo.list({ query: 'mglru' }).map((h) => h.id)).toEqual([id])
    repo.setTags(id, ['zram'])
    expect(repo.list({ query: 'pixel6' })).toEqual([])
    expect(
      repo
        .list({ query: 'zram' })
        .map((h) => h.title)
        .sort()
    ).toEqual(['app switching', 'eater'])
    repo.update(id, { hypothesis: 'no change' })
    expect(repo.list({ query: 'halves' })).toEqual([])
    repo.delete(id)
    expect(repo.list({ query: 'zram' }).map((h) => h.title)).toEqual(['eater'])
  })

  it('tags case-insensitively, filters by tag and drops unused tags', () => {
    const a = repo.create({ title: 'a', hypothesis: '', notes: '', tags: ['zram', 'ZRAM', 'lmkd'] })
    const b = repo.create({ title: 'b', hypothesis: '', notes: '', tags: ['Zram'] })
    expect(a.tags).toEqual(['lmkd', 'zram'])
    expect(b.tags).toEqual(['zram'])
    expect(tags.counts()).toEqual([
      { name: 'zram', count: 2 },
      { name: 'lmkd', count: 1 }
    ])
    expect(
      repo
        .list({ tag: 'ZRAM' })
        .map((e) => e.title)
        .sort()
    ).toEqual(['a', 'b'])
    repo.setTags(a.id, ['zram'])
    expect(tags.counts()).toEqual([{ name: 'zram', count: 2 }])
    repo.delete(b.id)
    repo.setTags(a.id, [])
    expect(tags.counts()).toEqual([])
  })

  it('duplicates title, hypothesis, notes and tags into a new experiment', () => {
    const source = repo.create({
      title: 'proto as posted',
      hypothesis: 'h',
      notes: 'n',
      tags: ['proto']
    })
    const copy = repo.duplicate(source.id)
    expect(copy.id).not.toBe(source.id)
    expect(copy).toMatchObject({
      title: 'proto as posted (copy)',
      hypothesis: 'h',
      notes: 'n',
      tags: ['proto']
    })
    expect(
      repo.duplicate(
        repo.create({ title: 'x'.repeat(200), hypothesis: '', notes: '', tags: [] }).id
      ).title
    ).toHaveLength(200)
  })

  it('deletes, and reports a missing experiment as not_found', () => {
    const { id } = repo.create({ title: 'gone', hypothesis: '', notes: '', tags: ['t'] })
    repo.delete(id)
    expect(() => repo.get(id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(() => repo.delete(id)).toThrow(expect.objectContaining({ code: 'not_found' }))
    expect(repo.list()).toEqual([])
  })
})
