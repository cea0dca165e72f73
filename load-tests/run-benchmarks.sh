#!/usr/bin/env bash
# Benchmarks; each prints figures and asserts nothing.
#   llhls   ingest-to-part latency with a real-time ffmpeg publisher (~40 s), then wrk against one part, one segment
#           and the media playlist (also with gzip) on Estuary and on nginx serving copies of the same bytes
#           (needs ffmpeg, nginx, wrk).
#   metrics GET /metrics latency with 0 and with N live streams (50), published from this JVM by the RTMP load
#           publisher replaying a cached 720p30 clip; plus what N streams cost the server in CPU and heap (~1 min,
#           needs ffmpeg once, to encode the clip into load-tests/target/).
#   ingest  what N live streams (20) cost in CPU and RSS, side by side with a peer in the same run: Estuary (its own
#           JVM, -Xmx1g) and then nginx-rtmp (hls on) each take the same N replayed 720p30 streams and are measured
#           from /proc over a window (30 s) (~2 min; needs ffmpeg once, nginx and libnginx-mod-rtmp, else the peer is
#           skipped).
#   drm     Common Encryption cost on the cached 720p30 clip's real frames (~2 min; needs ffmpeg once): JMH
#           throughput of SampleEncryptor (cenc, cbcs; video, audio) against plain AES-CTR, one thread; then the
#           CPU of packaging the clip clear vs cenc vs cbcs, per content-second and as a share of a stream's CPU.
#   abr     ABR transcoding (~5 min; needs ffmpeg): a 30 s grainy 720p30 clip (encoded once into load-tests/target/)
#           through the ffmpeg CLI doing the server's default ladder with its x264 settings (the peer), then through
#           Estuary (its own JVM) with the transcoder off and on, each measured from /proc over a window (25 s): CPU per
#           content-second raw and net of ingest, the ratio to ffmpeg, the transcoder's metrics; then N = 2, 3, 4
#           streams on a fresh server each (20 s) until one is not real time (drops, or lag over max-lag): capacity.
#   whip    WHIP ingest (~3 min; needs ffmpeg once, to encode a 360p30 H.264 + Opus clip into load-tests/target/): N
#           WHIP publishers (10) in the benchmark's JVM publish to Estuary (its own JVM, transcoder off; the Opus is
#           still transcoded to AAC): time from POST to the first LL-HLS part (p50/p95/max), then the server's CPU
#           and RSS per stream over a window (30 s) after settling (20 s); then the same N streams of the same
#           pictures over RTMP (AAC) on a fresh server, measured the same way: CPU per stream WHIP vs RTMP.
# Usage: load-tests/run-benchmarks.sh [all | llhls [publish-seconds] | metrics [streams] [scrapes]
#                                     | ingest [streams] [seconds] | drm
#                                     | abr [window-seconds] [capacity-window-seconds] [max-streams]
#                                     | whip [streams] [window-seconds] [settle-seconds] | PUBLISH-SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
if [[ "$what" =~ ^[0-9]+$ ]]; then set -- llhls "$what"; what=llhls; fi # the old form: run-benchmarks.sh 40
case "$what" in
  all|llhls) tools="/usr/bin/ffmpeg /usr/sbin/nginx /usr/bin/wrk" ;;
  metrics) tools="/usr/bin/ffmpeg" ;;
  ingest|drm|abr|whip) tools="/usr/bin/ffmpeg" ;;
  *) echo "usage: $0 [all | llhls [publish-seconds] | metrics [streams] [scrapes] | ingest [streams] [seconds] | drm" \
          "| abr [window-seconds] [capacity-window-seconds] [max-streams]" \
          "| whip [streams] [window-seconds] [settle-seconds]]" >&2
     exit 2 ;;
esac
for tool in $tools; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y ffmpeg nginx wrk" >&2; exit 1; }
done
if [ "$what" = ingest ]; then # the peer; without it the benchmark measures Estuary alone and says so
  for tool in /usr/sbin/nginx /usr/lib/nginx/modules/ngx_rtmp_module.so; do
    [ -e "$tool" ] || echo "missing $tool: apt-get install -y nginx libnginx-mod-rtmp (the nginx-rtmp peer is skipped)" >&2
  done
fi
# Build the reactor in place and run from its jars: nothing goes into the local Maven repository.
./mvnw -q -B -pl load-tests -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
cp="load-tests/target/classes:$(cat load-tests/target/classpath.txt)"
run() { timeout "$1" java -cp "$cp" "${@:2}"; }
if [ "$what" = llhls ] || [ "$what" = all ]; then
  run 300 io.estuary.loadtests.LlHlsBenchmark "${2:-40}"
fi
if [ "$what" = metrics ] || [ "$what" = all ]; then
  [ "$what" = metrics ] && args=("${@:2}") || args=()
  run 180 io.estuary.loadtests.MetricsScrapeBenchmark "${args[@]}"
fi
if [ "$what" = ingest ]; then
  run 300 io.estuary.loadtests.IngestPeerBenchmark "${@:2}"
fi
if [ "$what" = drm ]; then
  # Other load skews both figures; the load average says how busy the machine was.
  echo "DRM_LOAD $(cut -d' ' -f1-3 /proc/loadavg) (load average), $(nproc) cores"
  run 150 io.estuary.loadtests.DrmEncryptionBenchmark | grep -E '^(DRM_|Benchmark |DrmEncryption)'
  run 60 io.estuary.loadtests.DrmPackagingBenchmark 5 15
fi
if [ "$what" = abr ]; then
  # ABR_LOAD: other work on the machine (2 cores here, shared) inflates CPU-seconds and lag, and lowers capacity.
  run 420 io.estuary.loadtests.TranscodeBenchmark "${@:2}"
fi
if [ "$what" = whip ]; then
  # WHIP_BENCH prints the load average: other work on the machine (2 cores here, shared) inflates CPU per stream.
  run 420 io.estuary.loadtests.whip.WhipBenchmark "${@:2}"
fi
