// Estuary web console. Every 2 s it asks the JSON API (/api/v1/...) for the live streams and shows each one as a
// card with an embedded low-latency player (hls.js). Plain browser JavaScript with no build step: read it top down.
'use strict';

(() => {
  const POLL_MS = 2000;
  const TICK_MS = 1000;
  const RETRY_PLAYER_MS = 3000;
  const TOKEN_KEY = 'estuary.api.token';

  const $ = id => document.getElementById(id);
  const ui = {
    serverInfo: $('server-info'), notice: $('notice'), auth: $('auth'), token: $('token'),
    empty: $('empty'), emptyExample: $('empty-example'), streams: $('streams'), template: $('stream-card')
  };

  /** The cards on the page by stream key: { key, el, fields, video, hls, url, error, recovered, retry, uptime }. */
  const cards = new Map();
  let rtmpPort = '1935';

  // ---- The API ------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, token) {
    const headers = { Accept: 'application/json' };
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    const options = { headers, cache: 'no-store' };
    if (AbortSignal.timeout) {
      options.signal = AbortSignal.timeout(5000); // a hung request must not stop the polling loop
    }
    const response = await fetch(path, options);
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        message = (await response.json()).error || message;
      } catch (notJson) {
        // keep the status line
      }
      throw new ApiError(response.status, message);
    }
    return response.json();
  }

  // One request at a time: the next poll is scheduled only when this one has finished.
  async function poll() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    try {
      const [server, list] = await Promise.all([api('/api/v1/server', token), api('/api/v1/streams', token)]);
      showNotice(null);
      ui.auth.hidden = true;
      renderServer(server);
      renderStreams(list.streams || []);
    } catch (e) {
      showError(e, token);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function showError(e, sentToken) {
    if (e.status === 401) {
      if (sessionStorage.getItem(TOKEN_KEY) !== sentToken) {
        return; // a token was entered while this request was on its way: the next poll tries it
      }
      // Either no token yet or a wrong one: forget it and ask.
      sessionStorage.removeItem(TOKEN_KEY);
      ui.auth.hidden = false;
      showNotice(sentToken ? 'The server refused that token.' : 'This server requires an API token.');
    } else if (e.status === 403) {
      showNotice('The API answers clients on the server\'s own machine (loopback) only, unless an API token is '
        + 'configured (estuary.api.token). Open this page on the server host (an SSH tunnel works), or set a token.');
    } else {
      showNotice('Cannot read the API: ' + e.message + ' (retrying every ' + POLL_MS / 1000 + ' s)');
    }
  }

  function showNotice(text) {
    ui.notice.hidden = !text;
    ui.notice.textContent = text || '';
  }

  ui.auth.addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, ui.token.value.trim());
    ui.token.value = '';
    ui.auth.hidden = true;
    showNotice('Signing in…'); // the next poll, within 2 s, sends the token
  });

  // ---- Rendering ----------------------------------------------------------------------------------------------

  function renderServer(server) {
    const rtmp = server.listeners && server.listeners.rtmp;
    if (rtmp && rtmp.address) {
      rtmpPort = rtmp.address.split(':').pop();
    }
    const count = server.streams === 1 ? '1 live stream' : (server.streams ?? 0) + ' live streams';
    ui.serverInfo.textContent = [server.name || 'estuary', server.version].filter(Boolean).join(' ')
      + ' · up ' + duration(server.uptimeSeconds) + ' · ' + count;
  }

  function renderStreams(streams) {
    const listed = new Set(streams.map(s => s.key));
    for (const [key, card] of cards) {
      if (!listed.has(key)) {
        removeCard(card);
      }
    }
    streams.forEach((stream, i) => {
      let card = cards.get(stream.key);
      if (!card) {
        card = createCard(stream);
        cards.set(stream.key, card);
      }
      updateCard(card, stream);
      // Keep the API's order (sorted by key), moving only what is out of place: a moved <video> may hiccup.
      if (ui.streams.children[i] !== card.el) {
        ui.streams.insertBefore(card.el, ui.streams.children[i] || null);
      }
    });
    ui.empty.hidden = cards.size > 0;
    ui.emptyExample.textContent = 'ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -c:v libx264 -g 60 '
      + '-f flv rtmp://' + location.hostname + ':' + rtmpPort + '/live/NAME';
  }

  function createCard(stream) {
    const el = ui.template.content.firstElementChild.cloneNode(true);
    el.dataset.key = stream.key;
    const fields = {};
    el.querySelectorAll('[data-field]').forEach(node => { fields[node.dataset.field] = node; });
    el.querySelectorAll('[data-copy]').forEach(button => {
      button.addEventListener('click', () => copy(fields[button.dataset.copy], button));
    });
    const card = { key: stream.key, el, fields, video: el.querySelector('video'), hls: null,
      url: null, error: null, recovered: false, retry: null, uptime: null };
    card.video.addEventListener('playing', () => { fields.playerMessage.hidden = true; });
    return card;
  }

  // Publisher-chosen names reach the page: everything goes in through textContent or value, never as HTML.
  function updateCard(card, s) {
    const f = card.fields;
    const tracks = s.tracks || [];
    const video = tracks.find(t => t.type === 'video');
    const audio = tracks.find(t => t.type === 'audio');
    f.key.textContent = s.key;
    f.publisher.textContent = s.publisher
      ? (s.publisher.protocol || '').toUpperCase() + ' from ' + s.publisher.address : '';
    f.video.textContent = video ? [video.codecName || video.codec,
      video.width && video.height ? video.width + '×' + video.height : null,
      video.frameRate != null ? round(video.frameRate, 2) + ' fps' : null].filter(Boolean).join(' · ') : '—';
    f.video.title = video ? video.codec || '' : '';
    f.audio.textContent = audio ? [audio.codecName || audio.codec,
      audio.sampleRate ? round(audio.sampleRate / 1000, 1) + ' kHz' : null,
      audio.channels ? audio.channels + ' ch' : null].filter(Boolean).join(' · ') : '—';
    f.bitrate.textContent = s.bitrateBps != null ? Math.round(s.bitrateBps / 1000) + ' kbit/s' : '—';
    f.viewers.textContent = s.viewers ?? '—';
    const p50 = s.latency && s.latency.partP50Ms;
    f.partLatency.textContent = p50 != null ? Math.round(p50) + ' ms' : '—';
    f.dropped.textContent = s.droppedFrames ?? '—';
    showRenditions(f.renditions, s.transcoder);
    showWebrtc(f.webrtc, s.publisher && s.publisher.webrtc);
    card.uptime = { seconds: s.uptimeSeconds || 0, at: performance.now() };
    f.publishUrl.value = (s.publish && s.publish.rtmp) || '';
    const url = (s.playback && s.playback.hls) || null;
    f.playbackUrl.value = url || '';
    if (url !== card.url) {
      card.url = url;
      startPlayer(card);
    }
    tick(card);
  }

  // The ladder the transcoder puts out, and whether it keeps up: speed under 1× or any shedding means viewers get
  // fewer frames than the publisher sends. Absent when the stream is packaged as published.
  function showRenditions(dd, t) {
    dd.parentElement.hidden = !t;
    if (!t) {
      return;
    }
    const renditions = (t.renditions || []).map(r => r.passthrough ? r.name + ' (as published)'
      : r.name + ' ' + Math.round(r.framesPerSecond) + ' fps');
    // The speed is measured over windows of two seconds: 0 until the first has closed.
    const health = [t.speed > 0 ? 'speed ' + round(t.speed, 1) + '×' : 'speed measuring'];
    if (t.sheddingLevel > 0) {
      health.push('shedding load (level ' + t.sheddingLevel + ')');
    }
    dd.textContent = renditions.join(' · ') + ' — ' + health.join(', ');
    dd.classList.toggle('shedding', t.sheddingLevel > 0);
    dd.title = (t.renditions || []).map(r => r.name + ': ' + r.width + '×' + r.height
      + (r.bitrateBps ? ', target ' + Math.round(r.bitrateBps / 1000) + ' kbit/s' : '')
      + ', ' + r.frames + ' frames, ' + r.droppedFrames + ' dropped').join('\n');
  }

  // A WHIP publisher's connection: set-up times and what the network lost and NACKs recovered.
  function showWebrtc(dd, w) {
    dd.parentElement.hidden = !w;
    if (!w) {
      return;
    }
    dd.textContent = [w.iceMillis >= 0 ? 'ICE ' + w.iceMillis + ' ms' : 'ICE connecting',
      w.dtlsMillis >= 0 ? 'DTLS ' + w.dtlsMillis + ' ms (' + w.dtlsRole + ')' : null,
      w.rtpPackets + ' packets', w.packetsLost + ' lost', w.packetsRecovered + ' recovered',
      w.keyframeRequests + ' keyframe requests'].filter(Boolean).join(' · ');
    dd.title = [w.iceRemote ? 'from ' + w.iceRemote : null, w.srtpProfile].filter(Boolean).join(', ');
  }

  function removeCard(card) {
    stopPlayer(card);
    card.el.remove();
    cards.delete(card.key);
  }

  // Figures that move between polls: the uptime and the player's own state.
  function tick(card) {
    if (card.uptime) {
      card.fields.uptime.textContent = duration(card.uptime.seconds + (performance.now() - card.uptime.at) / 1000);
    }
    const latency = card.hls ? finite(card.hls.latency) : null;
    card.fields.playerLatency.textContent = latency ? round(latency, 2) + ' s' : '—';
  }

  setInterval(() => cards.forEach(tick), TICK_MS);

  // ---- Players ------------------------------------------------------------------------------------------------

  function startPlayer(card) {
    stopPlayer(card);
    if (!card.url) {
      return playerMessage(card, 'The API gave no playback URL.');
    }
    if (window.Hls && Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true });
      hls.on(Hls.Events.ERROR, (event, data) => {
        if (data.fatal) {
          onFatal(card, hls, data);
        }
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => card.video.play().catch(() => { /* autoplay refused: controls */ }));
      hls.loadSource(card.url);
      hls.attachMedia(card.video);
      card.hls = hls;
    } else if (card.video.canPlayType('application/vnd.apple.mpegurl')) {
      card.video.src = card.url; // Safari plays LL-HLS natively
    } else {
      playerMessage(card, window.Hls ? 'This browser has no Media Source Extensions: it cannot play HLS.'
        : 'hls.js did not load from /console/vendor/hls.min.js (was the server built with Maven?).');
    }
  }

  // A media error is often recoverable in place (once); anything else: start a fresh player a little later.
  function onFatal(card, hls, data) {
    card.error = data.type + ':' + data.details;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !card.recovered) {
      card.recovered = true;
      hls.recoverMediaError();
      return;
    }
    playerMessage(card, 'Player error (' + card.error + '), retrying…');
    stopPlayer(card);
    card.retry = setTimeout(() => {
      if (cards.get(card.key) === card) {
        card.recovered = false;
        startPlayer(card);
      }
    }, RETRY_PLAYER_MS);
  }

  function stopPlayer(card) {
    clearTimeout(card.retry);
    if (card.hls) {
      card.hls.destroy();
      card.hls = null;
    }
    card.video.removeAttribute('src');
    card.video.load();
  }

  function playerMessage(card, text) {
    card.fields.playerMessage.textContent = text;
    card.fields.playerMessage.hidden = false;
  }

  // ---- Copy buttons -------------------------------------------------------------------------------------------

  async function copy(input, button) {
    try {
      await navigator.clipboard.writeText(input.value);
      flash(button, 'Copied');
    } catch (unavailable) {
      // No clipboard API outside secure contexts (plain http to another host): select the text for Ctrl+C.
      input.focus();
      input.select();
      flash(button, 'Press Ctrl+C');
    }
  }

  function flash(button, text) {
    button.textContent = text;
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  }

  // ---- Formatting ---------------------------------------------------------------------------------------------

  function finite(x) {
    return typeof x === 'number' && isFinite(x) ? x : null;
  }

  function round(x, digits) {
    return Number(x.toFixed(digits)).toString();
  }

  function duration(seconds) {
    const s = Math.floor(seconds || 0);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = n => String(n).padStart(2, '0');
    if (h > 0) {
      return h + 'h ' + pad(m) + 'm';
    }
    return m > 0 ? m + 'm ' + pad(s % 60) + 's' : s + 's';
  }

  // ---- For tests and curious operators (browser devtools) -----------------------------------------------------

  window.estuaryConsole = {
    /** The stream keys listed, in page order. */
    streams: () => Array.from(ui.streams.children, el => el.dataset.key),
    /** One player's state; error is the last fatal hls.js error (kept after a recovery), or null. */
    player: key => {
      const card = cards.get(key);
      if (!card) {
        return null;
      }
      return {
        currentTime: card.video.currentTime,
        latency: card.hls ? finite(card.hls.latency) : null,
        level: card.hls ? card.hls.currentLevel : null,
        error: card.error
      };
    }
  };

  poll();
})();
