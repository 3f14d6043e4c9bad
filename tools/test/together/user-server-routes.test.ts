// The user-server-routes group's unit tests, in one process: tools/test/together.ts says which files and why.
import { runGroup } from '../together.ts'

runGroup('user-server-routes')
