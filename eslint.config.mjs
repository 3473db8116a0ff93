import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'native/**', 'node_modules/**', 'test-results/**', 'coverage/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } }
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'vue/multi-word-component-names': 'off'
    }
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,cjs}', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // The model must be reproducible: no wall clock, no unseeded randomness.
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/worker.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded PRNG streams.' },
        { object: 'Date', property: 'now', message: 'The model runs in virtual time.' },
        { object: 'performance', property: 'now', message: 'The model runs in virtual time.' }
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: ['node:*', 'electron', '**/main/**', '**/lab/**', '**/cli/**', '**/renderer/**']
        }
      ]
    }
  },
  {
    // The kernel's parts know a patch variant only through the write-out path (mm/writeout.ts).
    files: ['src/sim/{mm,cpu,des,metrics,workloads}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'electron',
            '**/main/**',
            '**/lab/**',
            '**/cli/**',
            '**/renderer/**',
            '**/variants',
            '**/variants/**'
          ]
        }
      ]
    }
  },
  {
    // The lab core serves the desktop shell, serve mode, the CLI and the benches alike.
    files: ['src/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['electron', '**/main/**', '**/cli/**', '**/renderer/**'] }
      ]
    }
  },
  {
    // The renderer knows the simulator only through the contract and the shared types.
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/sim',
            '**/sim/**',
            '**/main/**',
            '**/lab/**',
            '**/cli/**',
            'node:*',
            'electron'
          ]
        }
      ]
    }
  },
  {
    // Components and views reach the lab through stores and composables, never the bridge itself.
    files: ['src/renderer/src/components/**/*.{ts,vue}', 'src/renderer/src/views/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/sim',
                '**/sim/**',
                '**/main/**',
                '**/lab/**',
                '**/cli/**',
                'node:*',
                'electron'
              ],
              message: 'The renderer knows the simulator and the lab only through the contract.'
            },
            {
              group: ['**/lab', '@renderer/lab'],
              message: 'Call the lab through a store or composable.'
            }
          ]
        }
      ]
    }
  },
  {
    // Shared types and schemas serve every process: no host code, no simulator, no app core.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/sim',
            '**/sim/**',
            '**/main/**',
            '**/lab/**',
            '**/cli/**',
            '**/renderer/**',
            'node:*',
            'electron'
          ]
        }
      ]
    }
  },
  prettier
)
