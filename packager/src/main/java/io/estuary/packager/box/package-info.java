/**
 * ISO base media file format (ISO/IEC 14496-12) box writing: a growable big-endian {@link
 * io.estuary.packager.box.BoxWriter} with size back-patching, and one small writer per box type, named after its
 * fourcc. Nothing here knows about CMAF, tracks or frames; the {@code cmaf} package composes these boxes.
 */
package io.estuary.packager.box;
