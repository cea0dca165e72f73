/**
 * RTMP ingest: the pipeline set-up ({@link io.estuary.protocols.rtmp.RtmpServerInitializer}), its configuration
 * and the session handler that answers NetConnection/NetStream commands and publishes into the stream router.
 */
package io.estuary.protocols.rtmp;
