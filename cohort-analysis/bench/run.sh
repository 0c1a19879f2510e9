#!/usr/bin/env bash
# Matched-cohort benchmark: 10,000 treated vs a 1,500,000 pool in exact strata (see
# MatchedCohortBench.java). Usage: cohort-analysis/bench/run.sh [pool] [treated] [continuous-age]
# (under the shared lock: flock /work/helpers/heavy.lock cohort-analysis/bench/run.sh).
# Builds idw through the ./idw launcher, compiles the bench class and runs it with IDW_HEAP
# (default 6g) and -Didw.matched.timing=true (per-phase seconds on stderr).
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" MatchedCohortBench -Didw.matched.timing=true -- "$@"
