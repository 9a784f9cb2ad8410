package dev.taskgate.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A count that must be at least 1, checked when the configuration is read, so a wrong value stops
 * the start-up before anything runs, with a message that names the setting.
 */
public final class AtLeastOne implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int count;
        try {
            count = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("(it must be a whole number)");
        }
        if (count < 1) {
            throw new IllegalArgumentException("(it must be at least 1)");
        }
        return count;
    }
}
