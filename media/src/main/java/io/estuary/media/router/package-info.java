/**
 * The per-stream router: publishers push frames into a {@link io.estuary.media.router.LiveStream}, consumers
 * subscribe with bounded queues that drop (and count) instead of stalling the publisher.
 */
package io.estuary.media.router;
