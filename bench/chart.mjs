// `npm run bench:chart`: redraws bench/results.svg from bench/RESULTS.md's current tables, without a bench run
// (`npm run bench` draws it itself after writing the tables).
//
//   node bench/chart.mjs [RESULTS.md] [results.svg]
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeChart } from './lib/chart.mjs'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

const resultsFile = process.argv[2] ?? join(ROOT, 'bench', 'RESULTS.md')
const svgFile = process.argv[3] ?? join(ROOT, 'bench', 'results.svg')
const chart = writeChart(resultsFile, svgFile)
process.stdout.write(`wrote ${relative(process.cwd(), svgFile) || svgFile}: scenarios ${chart.scenarios.map(s => s.id).join(', ')}\n`)
