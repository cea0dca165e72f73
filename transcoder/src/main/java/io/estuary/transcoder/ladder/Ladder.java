package io.estuary.transcoder.ladder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A configured ladder, and its resolution against a source. Rules, as viewers and CDNs expect them: never upscale
 * (a rung taller or wider than the source is dropped), keep the source's aspect ratio (width rounded to even, as
 * 4:2:0 chroma needs), keep each name once.
 */
public record Ladder(List<RungSpec> rungs) {

    public Ladder {
        rungs = List.copyOf(rungs);
        Set<String> names = new HashSet<>();
        int sources = 0;
        for (RungSpec r : rungs) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("names a rung twice: " + r.name());
            }
            sources += r.passthrough() ? 1 : 0;
        }
        if (sources > 1) {
            throw new IllegalArgumentException("may pass the source through once only");
        }
    }

    /** Whether any rung needs encoding; a ladder of the source alone is packaged without a transcoder. */
    public boolean encodes() {
        return rungs.stream().anyMatch(r -> !r.passthrough());
    }

    public boolean passesSourceThrough() {
        return rungs.stream().anyMatch(RungSpec::passthrough);
    }

    /** The rungs this source gets, in configured order; an encoded rung of the source's exact size stays. */
    public List<Rung> resolve(int sourceWidth, int sourceHeight) {
        List<Rung> out = new ArrayList<>();
        for (RungSpec r : rungs) {
            if (r.passthrough()) {
                out.add(new Rung(r.name(), true, sourceWidth, sourceHeight, 0, 0, 0));
                continue;
            }
            if (sourceWidth <= 0 || sourceHeight <= 0 || r.height() > sourceHeight) {
                continue;
            }
            int width = r.width() != 0 ? r.width() : even((double) sourceWidth * r.height() / sourceHeight);
            if (width > sourceWidth) {
                continue;
            }
            out.add(new Rung(r.name(), false, width, r.height(), r.bitrate(), r.maxrate(), r.bufsize()));
        }
        return out;
    }

    private static int even(double width) {
        return Math.max(2, (int) Math.round(width / 2) * 2);
    }
}
