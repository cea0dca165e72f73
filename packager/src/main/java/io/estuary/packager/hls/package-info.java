/**
 * LL-HLS (RFC 8216bis): media and multivariant playlists over the CMAF parts of the segmenter, the live window,
 * blocking playlist reload, preload hints and playlist delta updates.
 *
 * <p>One {@link io.estuary.packager.hls.HlsStream} per stream. It is written on the stream's executor (as a
 * {@link io.estuary.packager.cmaf.SegmenterListener}) and read by HTTP handlers through immutable snapshots; requests
 * that must wait (blocking reload, the preload-hinted part, the multivariant playlist before the first parts) are
 * futures completed from the executor, never a parked thread.
 *
 * <p>URLs, relative to {@code /live/{name}/}: {@code index.m3u8}, {@code {track}.m3u8},
 * {@code {track}/{epoch}/init.mp4}, {@code {track}/{epoch}/{msn}.m4s}, {@code {track}/{epoch}/{msn}.{part}.m4s}.
 */
package io.estuary.packager.hls;
