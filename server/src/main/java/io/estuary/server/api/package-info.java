/**
 * The operator JSON API under {@code /api/v1}: live streams, one stream in detail, dropping a publisher, server
 * information. Free of Netty: the HTTP router hands it plain requests, off the event loop.
 */
package io.estuary.server.api;
