// The status report shared by player.html, dashjs.html and shaka.html (served by ChromiumPlayer as /report.js):
// every 500 ms, one flat JSON object posted to /report (same origin as the page, another origin than the stream),
// which PlayerReport reads. The page keeps its own state and supplies only what its library knows.
'use strict';

// Key order of the posted object: the same for every page, so raw reports in logs read alike (a page's own keys
// that are not listed here come last).
const REPORT_KEYS = ['t', 'currentTime', 'bufferedEnd', 'latency', 'wallLatency', 'targetLatency', 'playing',
  'readyState', 'fatal', 'fatalDetails', 'errorCount', 'fragsBuffered', 'hlsVersion', 'player', 'playerVersion',
  'lowLatency', 'edgeDistance', 'playbackRate', 'errors'];

// null instead of NaN or Infinity: JSON.stringify would turn those into null anyway, this says so.
function finite(x) {
  return typeof x === 'number' && isFinite(x) ? x : null;
}

// Library getters may throw until playback is initialised: null until then.
function ask(f) {
  try {
    return f();
  } catch (e) {
    return null;
  }
}

// Reports now and every 500 ms. state: { errors: [], fatal, fatalDetails, fragsBuffered } kept by the page;
// playerFields(): an object with the page's own keys (player, playerVersion, latency, targetLatency, ...).
function startReports(video, state, playerFields) {
  // For a stall's report: how often the element waited for data or for a key, and every buffered range (a gap
  // between two ranges at currentTime is a stall no bufferedEnd shows).
  const waits = { waiting: 0, waitingforkey: 0 };
  Object.keys(waits).forEach(name => video.addEventListener(name, () => { waits[name]++; }));
  function ranges(b) {
    const out = [];
    for (let i = 0; i < b.length; i++) {
      out.push([Number(b.start(i).toFixed(3)), Number(b.end(i).toFixed(3))]);
    }
    return out;
  }

  function report() {
    const b = video.buffered;
    const fields = Object.assign({
      t: Date.now(),
      currentTime: video.currentTime,
      bufferedEnd: b.length ? b.end(b.length - 1) : 0,
      playing: !video.paused && !video.ended && video.readyState > 2,
      readyState: video.readyState,
      fatal: state.fatal,
      fatalDetails: state.fatalDetails,
      errorCount: state.errors.length,
      fragsBuffered: state.fragsBuffered
    }, playerFields(), {
      playbackRate: video.playbackRate,
      errors: state.errors.slice(-5),
      buffered: ranges(b),
      waiting: waits.waiting,
      waitingForKey: waits.waitingforkey
    });
    const body = {};
    REPORT_KEYS.filter(k => k in fields).forEach(k => { body[k] = fields[k]; });
    Object.keys(fields).filter(k => !(k in body)).forEach(k => { body[k] = fields[k]; });
    fetch('/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .catch(() => {});
  }

  report();
  setInterval(report, 500);
}
