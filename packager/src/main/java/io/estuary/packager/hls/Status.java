package io.estuary.packager.hls;

/** The outcome of an HLS request, mapped to an HTTP status by the server (200, 400, 404). */
public enum Status {
    OK,
    BAD_REQUEST,
    NOT_FOUND
}
