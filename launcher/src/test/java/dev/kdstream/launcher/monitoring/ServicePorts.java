package dev.kdstream.launcher.monitoring;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.student.TrainerService;
import dev.kdstream.teacher.TeacherService;

/** The /metrics port a compose service of this repo listens on: KD_METRICS_PORT, else its command's default. */
final class ServicePorts {

    private ServicePorts() {
    }

    static int metricsPort(final JsonNode service) {
        final String configured = RepoFiles.environment(service).get(ConfigKey.METRICS_PORT.env());
        if (configured != null) {
            return Integer.parseInt(configured);
        }
        final List<String> command = RepoFiles.command(service);
        return switch (command.isEmpty() ? "" : command.get(0)) {
            case "teacher" -> TeacherService.DEFAULT_METRICS_PORT;
            case "student" -> TrainerService.DEFAULT_METRICS_PORT;
            case "produce" -> ProducerService.DEFAULT_METRICS_PORT;
            default -> throw new IllegalArgumentException("no metrics port known for ./kd " + command);
        };
    }
}
