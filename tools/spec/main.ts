// `npm run spec`: prints the contract report (counts and MUST coverage); exit 1 on problems.
import { contractReport, formatReport, problemCount } from './report.ts'

const report = contractReport()
console.log(formatReport(report))
process.exitCode = problemCount(report) === 0 ? 0 : 1
