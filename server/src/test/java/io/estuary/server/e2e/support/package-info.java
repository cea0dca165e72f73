/**
 * Harness for the end-to-end tests: real clients (ffmpeg, ffprobe, headless Chromium running hls.js, raw RTMP
 * sockets) driven from JUnit, an RFC 8216bis LL-HLS playlist validator and a Netty leak watch. Nothing here
 * depends on the server's internals: only on its URLs and {@code EstuaryServer}'s public API.
 */
package io.estuary.server.e2e.support;
