/**
 * RTMP messages as the chunk layer delivers them (type, stream, timestamp, payload) and the protocol control
 * messages the session sends.
 */
package io.estuary.protocols.rtmp.message;
