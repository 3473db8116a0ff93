import { z } from 'zod'

const id = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be positive')

const title = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')

const hypothesis = z.string({ error: 'must be text' }).max(4000, 'must be at most 4,000 characters')

const notes = z
  .string({ error: 'must be text' })
  .max(1_000_000, 'must be at most 1,000,000 characters')

export const tagName = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:+/-]*$/u, 'may hold letters, digits, spaces and . _ : + / -')

const tags = z.array(tagName).max(20, 'at most 20 tags')

export const idInput = z.object({ id })

export const experimentListInput = z
  .object({
    query: z.string().max(200, 'must be at most 200 characters').optional(),
    tag: tagName.optional(),
    sort: z.enum(['updated', 'created', 'title']).optional()
  })
  .default({})

export const experimentCreateInput = z.object({
  title,
  hypothesis: hypothesis.default(''),
  notes: notes.default(''),
  tags: tags.default([])
})

export const experimentUpdateInput = z
  .object({
    id,
    title: title.optional(),
    hypothesis: hypothesis.optional(),
    notes: notes.optional()
  })
  .refine((v) => v.title !== undefined || v.hypothesis !== undefined || v.notes !== undefined, {
    message: 'nothing to update: give title, hypothesis or notes'
  })

export const experimentSetTagsInput = z.object({ id, tags })

export const noInput = z.union([z.undefined(), z.null(), z.object({}).strict()])

export const settingsUpdateInput = z.object({
  theme: z.enum(['system', 'light', 'dark']).optional()
})
