/**
 * The RTMP handshake: the plain one of the specification and the digest ("complex", Flash Player 9) variant
 * that librtmp, ffmpeg and Flash-era encoders send, which expects digests signed with the public FMS keys.
 */
package io.estuary.protocols.rtmp.handshake;
