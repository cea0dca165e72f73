/** The life of live streams on this node: which executor runs each, and which packager follows it. */
package io.estuary.server.streams;
