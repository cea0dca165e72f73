/**
 * CMAF packaging of one live stream: the {@link io.estuary.packager.cmaf.Segmenter} cuts frames into parts (CMAF
 * chunks) and segments, {@link io.estuary.packager.cmaf.CmafInitWriter} writes each track's header and
 * {@link io.estuary.packager.cmaf.CmafFragmentWriter} each chunk. A segment is exactly the concatenation of its
 * parts; the manifest side (HLS, DASH) learns of both through a {@link io.estuary.packager.cmaf.SegmenterListener}.
 */
package io.estuary.packager.cmaf;
