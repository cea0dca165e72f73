package io.estuary.transcoder.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/**
 * An FFmpeg call returned an error code. The message names the call and carries FFmpeg's own text for the code
 * ({@code av_strerror}), so a log line says which stage failed and why without a native debugger.
 */
public class FfmpegException extends RuntimeException {

    private final int errorCode;

    public FfmpegException(String call, int errorCode) {
        super(call + " failed: " + describe(errorCode) + " (" + errorCode + ")");
        this.errorCode = errorCode;
    }

    /** A failure that has no FFmpeg error code (a codec that is missing from the build, a null allocation). */
    public FfmpegException(String message) {
        super(message);
        this.errorCode = 0;
    }

    /** The negative FFmpeg error code (an {@code AVERROR}), 0 when the failure had none. */
    public int errorCode() {
        return errorCode;
    }

    /** FFmpeg's text for an error code, as {@code av_strerror} gives it. */
    public static String describe(int errorCode) {
        byte[] buf = new byte[256];
        if (av_strerror(errorCode, buf, buf.length) < 0) {
            return "unknown error";
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** Returns {@code ret} when it is not an error, throws otherwise. */
    static int check(int ret, String call) {
        if (ret < 0) {
            throw new FfmpegException(call, ret);
        }
        return ret;
    }
}
