package dev.kdstream.contracts.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the shared dataset files, so tests that need them can skip where they are absent. */
public final class SharedData {

    private SharedData() {
    }

    /**
     * {@code name} in $KD_SHARED_DATA, else in {@code shared/data} beside the repository: Maven runs
     * module tests from the module directory ({@code ../../shared}), an IDE often from the root.
     */
    public static Optional<Path> file(final String name) {
        final List<Path> dirs = new ArrayList<>();
        final String env = System.getenv("KD_SHARED_DATA");
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        dirs.add(Path.of("..", "..", "shared", "data"));
        dirs.add(Path.of("..", "shared", "data"));
        return dirs.stream().map(d -> d.resolve(name)).filter(Files::isRegularFile).findFirst();
    }
}
