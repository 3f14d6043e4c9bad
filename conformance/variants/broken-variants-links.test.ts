// The deliberate faults only a broken link between roles shows: a user server a region cannot
// reach, answers held while a user moves or signs on (issue 14: the runner's proxy between roles);
// each one fails its flow under its requirement id (conformance/variants/catalogue.ts lists them;
// check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'links')
