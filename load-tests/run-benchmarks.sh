#!/usr/bin/env bash
# Runs the LL-HLS benchmarks: ingest-to-part latency with a real-time ffmpeg publisher (~40 s), then wrk against
# one part, one segment and the media playlist on Estuary and on nginx serving copies of the same bytes.
# Prints figures; asserts nothing. Needs ffmpeg, nginx and wrk (apt-get install -y ffmpeg nginx wrk).
# Usage: load-tests/run-benchmarks.sh [publish-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in /usr/bin/ffmpeg /usr/sbin/nginx /usr/bin/wrk; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y ffmpeg nginx wrk" >&2; exit 1; }
done
./mvnw -q -B -pl load-tests -am -DskipTests install
exec timeout 300 ./mvnw -q -B -pl load-tests -Dexec.args="${1:-40}" exec:java
