/**
 * The FFmpeg stages of a transcoding session, over the libavcodec, libswscale and libswresample C API (JavaCPP):
 * {@link io.estuary.transcoder.ffmpeg.VideoDecoder} (H.264 access units to pictures),
 * {@link io.estuary.transcoder.ffmpeg.Scaler} (a picture to one rung's size),
 * {@link io.estuary.transcoder.ffmpeg.VideoEncoder} (pictures to AVCC access units, keyframes only where asked) and
 * {@link io.estuary.transcoder.ffmpeg.AudioTranscoder} (AAC or Opus to AAC-LC).
 *
 * <p>Every class owns native memory that the garbage collector does not see: each is {@link AutoCloseable}, and
 * {@code close()} frees it all. None is thread-safe; a session drives them from its one thread. FFmpeg error codes
 * become {@link io.estuary.transcoder.ffmpeg.FfmpegException}, except for corrupt input, which is counted and
 * skipped so that one bad packet from a publisher does not end the session.
 */
package io.estuary.transcoder.ffmpeg;
