package io.estuary.transcoder.ladder;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** Reads ladders and bit rates from config; a bad value fails naming its key in full. */
public final class LadderReader {

    private LadderReader() {
    }

    /** The {@code ladder} list of {@code section} (found at {@code path}). */
    public static Ladder read(Config section, String path) {
        List<? extends Config> entries = section.getConfigList("ladder");
        List<RungSpec> rungs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            try {
                rungs.add(RungSpec.from(entry));
            } catch (IllegalArgumentException | ConfigException.Missing | ConfigException.WrongType e) {
                throw new ConfigException.BadValue(entry.origin(), path + ".ladder[" + i + "]", e.getMessage());
            }
        }
        try {
            return new Ladder(rungs);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(section.origin(), path + ".ladder", e.getMessage());
        }
    }

    /** A bit rate at {@code key} of {@code section}: {@code 128k}, {@code 2.8M} or a plain number. */
    public static int bitRate(Config section, String key, String path) {
        try {
            return BitRate.parse(section.getString(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(section.origin(), path + "." + key, e.getMessage());
        }
    }
}
