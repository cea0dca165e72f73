/** Playback over HTTP/1.1 and HTTP/2: routes, cache rules, CORS, blocking playlist requests. */
package io.estuary.server.http;
