/** The shared vocabulary of live media: tracks, codec configurations and frames. */
package io.estuary.media.frame;
