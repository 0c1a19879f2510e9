#!/usr/bin/env bash
# The home-safety-visit targets through the real pipeline (generate -> ingest -> link -> governed
# session -> KidCohortBuilder -> matched-cohort evaluation), once with no planted effect and once
# with -15% (see HsvTargets.java). A heavy run: use the shared lock.
#   flock /work/helpers/heavy.lock cohort-analysis/bench/hsv-targets.sh [people] [months] [effect|both] [uptake]
# uptake multiplies the generator's home safety visit hazard (SampleData.homeSafetyVisitUptake), so a
# small population has enough visited people; the truth (effect, uptake) is read from effects.json.
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" HsvTargets -- "$@"
