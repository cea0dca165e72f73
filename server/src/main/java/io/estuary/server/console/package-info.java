/**
 * The operators' web console: a static page ({@code /}) with its script and style under {@code /console/}, and
 * hls.js under {@code /console/vendor/} (fetched at build time, never from a CDN). It reads everything it shows
 * from the JSON API ({@code /api/v1/...}); this package only serves the files.
 */
package io.estuary.server.console;
