package dev.kdstream.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.control.LiveSettings;

import picocli.CommandLine;

class ControlCommandTest {

    @Test
    void theHelpNamesExactlyTheKeysThatCanBeSetLive() {
        // the annotation cannot read LiveSettings.KEYS: this holds the two together
        final String description = String.join(" ", new CommandLine(new ControlCommand()).getCommandSpec()
                .usageMessage().description());
        assertThat(description).endsWith("Settable: " + LiveSettings.names() + ".");
    }
}
