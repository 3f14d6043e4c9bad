// TAP 14: one subtest per flow, one test point per check. Failures carry YAML diagnostics with
// the requirement ids, the sentence they quote, the flow's trace and the command to re-run it.
import { stringify } from 'yaml'
import { messagesValidated, type Check, type FlowResult, type RunResult, type TraceEntry } from '../runner/results.ts'
import { requirementText, rerunCommand } from './requirement-text.ts'
import { runnerNote } from './runner-note.ts'

function indent (text: string, by: string): string {
  return text.split('\n').map((l) => (l === '' ? l : by + l)).join('\n')
}

/** `A -> R1 POST /client/messages clientSendInstantMessage 200`: who called, the request line, the answer. */
export function traceLine (t: TraceEntry): string {
  const request = t.method === undefined ? '' : ` ${t.method}${t.path === undefined ? '' : ' ' + t.path}`
  return `${t.from} -> ${t.to}${request} ${t.operationId}${t.status === undefined ? '' : ' ' + t.status}`
}

function point (c: Check, n: number, flow: FlowResult, selectors?: readonly string[]): string {
  const name = `${c.step} ${c.outcome} [${c.requirements.join(', ')}]`.replace(/#/g, '\\#')
  switch (c.status) {
    case 'pass': {
      const runner = runnerNote(c)
      return runner === undefined ? `ok ${n} - ${name}` : `ok ${n} - ${name} # SKIP ${runner}`
    }
    case 'skip': return `ok ${n} - ${name} # SKIP ${c.message ?? ''}`
    case 'impossible': return `ok ${n} - ${name} # SKIP impossible: ${c.message ?? ''}`
    case 'blocked': return `ok ${n} - ${name} # SKIP blocked by ${c.blockedBy ?? 'an earlier failure'}: ${(c.message ?? '').split('\n')[0]}`
    case 'xfail': return `not ok ${n} - ${name} # TODO expected failure: ${c.message ?? ''}`
    default: {
      const diag = {
        message: c.message,
        requirements: Object.fromEntries(c.requirements.map((id) => [id, requirementText(id)])),
        rerun: rerunCommand(c.flow, selectors),
        trace: flow.trace.slice(-30).map(traceLine)
      }
      return `not ok ${n} - ${name}\n  ---\n${indent(stringify(diag).trimEnd(), '  ')}\n  ...`
    }
  }
}

export function flowTap (flow: FlowResult, selectors?: readonly string[]): string {
  const lines = flow.checks.map((c, i) => point(c, i + 1, flow, selectors))
  return [`# Subtest: ${flow.flow} — ${flow.title}`, indent([...lines, `1..${flow.checks.length}`].join('\n'), '    ')].join('\n')
}

export function toTap (run: RunResult): string {
  const out = ['TAP version 14']
  run.flows.forEach((flow, i) => {
    const failed = flow.checks.some((c) => c.status === 'fail' || c.status === 'xpass')
    out.push(flowTap(flow, run.rerun), `${failed ? 'not ok' : 'ok'} ${i + 1} - ${flow.flow} # time=${flow.durationMs}ms`)
  })
  out.push(`1..${run.flows.length}`, `# messages validated against the OpenAPI documents: ${messagesValidated(run)}`, `# client interface: ${run.clientInterface ?? 'http'}`)
  return out.join('\n') + '\n'
}
