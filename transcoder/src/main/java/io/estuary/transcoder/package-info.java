/**
 * Real-time ABR transcoding: a session per live stream decodes the source once, scales once per rung, encodes each
 * rung with libx264 and the audio once to AAC-LC, and publishes the renditions back as tracks of one stream that
 * the packager serves. Sub-packages: {@code ladder} (renditions from config, validation), {@code ffmpeg}
 * (decoder, scaler, encoders, resampler; all AutoCloseable over native FFmpeg state).
 */
package io.estuary.transcoder;
