import * as core from '@actions/core'
import { run } from './main.js'
import { post } from './post.js'

// The runner runs this bundle twice: as the step, and as its post step (state isPost is set by then).
if (core.getState('isPost')) await post()
else await run()
