package dev.kdstream.launcher.dashboard;

import java.net.URI;
import java.util.List;

import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.dashboard.scrape.MetricsSource;
import dev.kdstream.student.TrainerService;
import dev.kdstream.teacher.TeacherService;

/** The services' {@code /metrics} on this machine at their default ports: what the page reads by default. */
public final class DashboardSources {

    /** The page's port by default, next to the services' 9401-9403. */
    public static final int DEFAULT_PORT = 9400;

    private DashboardSources() {
    }

    static List<MetricsSource> local() {
        return List.of(local("teacher", TeacherService.DEFAULT_METRICS_PORT),
                local("student", TrainerService.DEFAULT_METRICS_PORT),
                local("producer", ProducerService.DEFAULT_METRICS_PORT));
    }

    static MetricsSource local(final String name, final int port) {
        return new MetricsSource(name, URI.create("http://localhost:" + port + "/metrics"));
    }
}
