/** Bitstream parsing shared by every codec: bounded bit reading and Exp-Golomb codes. */
package io.estuary.media.codec;
