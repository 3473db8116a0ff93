import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/lab/dispatch'
import { memoryLab } from '../helpers/lab'

describe('validation at the boundary', () => {
  it('refuses an empty title, naming the field and the reason, and writes nothing', async () => {
    const { ctx, handlers } = memoryLab()
    const reply = await dispatch(handlers, 'experiment:create', { title: '   ', tags: [] })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Invalid experiment:create request: title: must not be empty',
        issues: [{ path: 'title', message: 'must not be empty' }]
      }
    })
    expect(ctx.db.prepare('SELECT count(*) FROM experiments').pluck().get()).toBe(0)
  })

  it('names the element of an array that is wrong', async () => {
    const { handlers } = memoryLab()
    const reply = await dispatch(handlers, 'experiment:create', {
      title: 'ok',
      tags: ['zram', '<b>bad</b>']
    })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.issues).toEqual([
      { path: 'tags.1', message: 'may hold letters, digits, spaces and . _ : + / -' }
    ])
  })

  it('refuses wrong types and unknown ids without changing what is stored', async () => {
    const { handlers } = memoryLab()
    const created = await dispatch(handlers, 'experiment:create', { title: 'keep me' })
    expect(created.ok).toBe(true)
    const wrongType = await dispatch(handlers, 'experiment:update', { id: '1', title: 'x' })
    expect(!wrongType.ok && wrongType.error.issues).toEqual([
      { path: 'id', message: 'must be a number' }
    ])
    const nothing = await dispatch(handlers, 'experiment:update', { id: 1 })
    expect(!nothing.ok && nothing.error.issues?.[0].message).toBe(
      'nothing to update: give title, hypothesis or notes'
    )
    const tooLong = await dispatch(handlers, 'experiment:update', { id: 1, title: 'x'.repeat(201) })
    expect(!tooLong.ok && tooLong.error.issues).toEqual([
      { path: 'title', message: 'must be at most 200 characters' }
    ])
    const missing = await dispatch(handlers, 'experiment:get', { id: 99 })
    expect(!missing.ok && missing.error.code).toBe('not_found')
    const kept = await dispatch(handlers, 'experiment:get', { id: 1 })
    expect(kept.ok && (kept.data as { title: string }).title).toBe('keep me')
  })

  it('answers an unknown channel as such', async () => {
    const { handlers } = memoryLab()
    const reply = await dispatch(handlers, 'experiment:explode', {})
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: 'No such channel: experiment:explode' }
    })
  })
})
