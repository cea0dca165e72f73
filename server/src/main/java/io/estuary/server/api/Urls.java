package io.estuary.server.api;

import io.estuary.media.router.StreamKey;

/**
 * Publish and playback URLs as a client should use them: built from the Host the client reached us by (so they
 * work through whatever name or address it used), with the RTMP port of this server.
 */
record Urls(String httpScheme, String hostHeader, int rtmpPort) {

    String hls(StreamKey key) {
        return httpScheme + "://" + hostHeader + "/" + key + "/index.m3u8";
    }

    String dash(StreamKey key) {
        return httpScheme + "://" + hostHeader + "/" + key + "/manifest.mpd";
    }

    String whip(StreamKey key) {
        return httpScheme + "://" + hostHeader + "/" + key + "/whip";
    }

    String rtmp(StreamKey key) {
        return "rtmp://" + hostName() + ":" + rtmpPort + "/" + key.app() + "/" + key.name();
    }

    /** The Host header without its port ({@code [::1]:8080} gives {@code [::1]}). */
    String hostName() {
        int colon = hostHeader.lastIndexOf(':');
        int bracket = hostHeader.lastIndexOf(']');
        return colon > bracket ? hostHeader.substring(0, colon) : hostHeader;
    }
}
