/**
 * An RTMP load publisher: many streams from one JVM, each replaying an in-memory FLV clip in real time over a
 * client-side Netty pipeline (plain handshake, the protocols module's chunk encoder/decoder and AMF0).
 */
package io.estuary.loadtests.rtmp;
