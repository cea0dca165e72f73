/**
 * The RTMP chunk stream (Adobe RTMP specification, section 5.3): a decoder that reassembles messages from
 * interleaved chunks and an encoder that splits messages into chunks, plus the acknowledgement window.
 */
package io.estuary.protocols.rtmp.chunk;
