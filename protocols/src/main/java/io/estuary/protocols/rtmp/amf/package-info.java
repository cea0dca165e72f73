/**
 * AMF0 and the AMF3 subset RTMP commands carry: readers that bound every length, nesting depth and element count
 * before trusting them, and an AMF0 writer for replies. Values map to plain Java types: {@code Double},
 * {@code Boolean}, {@code String}, {@code Map<String, Object>} (object, ECMA array), {@code List<Object>}
 * (strict array), {@code Instant} (date), {@code null}, {@link io.estuary.protocols.rtmp.amf.Amf0#UNDEFINED}.
 */
package io.estuary.protocols.rtmp.amf;
