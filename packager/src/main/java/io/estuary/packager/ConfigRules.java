package io.estuary.packager;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.function.Supplier;

/**
 * How the packager's configuration records state their rules: once, in their constructors, as "key rule"
 * failures; reading a section turns such a failure into a {@link ConfigException.BadValue} that names the full key
 * and the file it came from.
 */
public final class ConfigRules {

    private ConfigRules() {
    }

    /** Fails with "{@code key} {@code rule}" when a rule does not hold. */
    public static void check(boolean ok, String key, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + rule);
        }
    }

    /** Builds a record from section {@code path} of the configuration; a broken rule names its key in full. */
    public static <T> T read(Config section, String path, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int space = message.indexOf(' ');
            String key = space < 0 ? message : message.substring(0, space);
            throw new ConfigException.BadValue(section.origin(), path + "." + key,
                    space < 0 ? message : message.substring(space + 1));
        }
    }
}
