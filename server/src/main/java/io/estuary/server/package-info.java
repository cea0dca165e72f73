/** The runnable server: configuration, wiring of ingest, packaging and playback, and the listeners. */
package io.estuary.server;
