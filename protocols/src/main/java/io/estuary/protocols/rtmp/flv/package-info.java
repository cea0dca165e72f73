/**
 * FLV audio and video tags (including enhanced RTMP's FourCC headers) turned into normalized
 * {@link io.estuary.media.frame.MediaFrame}s and track announcements: one place where timestamps are unwrapped
 * and bitstreams are normalized.
 */
package io.estuary.protocols.rtmp.flv;
