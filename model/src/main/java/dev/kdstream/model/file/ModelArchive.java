package dev.kdstream.model.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;

/**
 * A model file: a zip holding {@code manifest.json} (with a {@code kind} and {@code formatVersion})
 * and named binary entries (DL4J networks). Reading checks the kind and version first, so a wrong
 * or damaged file fails with a message that names it instead of a deep DL4J stack trace.
 */
public final class ModelArchive {

    static final String MANIFEST = "manifest.json";

    private ModelArchive() {
    }

    /** A read archive: the manifest as JSON and every other entry's bytes. */
    public record Contents(Path file, JsonNode manifest, Map<String, byte[]> entries) {

        public byte[] entry(final String name) {
            final byte[] bytes = entries.get(name);
            if (bytes == null) {
                throw new ModelFileException(file + ": corrupt model file, entry '" + name + "' is missing");
            }
            return bytes;
        }

        public <T> T manifestAs(final Class<T> type) {
            try {
                return Json.MAPPER.treeToValue(manifest, type);
            } catch (IOException | IllegalArgumentException e) {
                throw new ModelFileException(file + ": unreadable manifest: " + e.getMessage(), e);
            }
        }
    }

    /** Writes atomically: a crash mid-write leaves the old file, never half a new one. */
    public static void write(final Path file, final Object manifest, final Map<String, byte[]> entries) {
        try {
            final Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            final Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(toBytes(manifest, entries));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelFileException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(final Object manifest, final Map<String, byte[]> entries) {
        final Map<String, byte[]> all = new LinkedHashMap<>();
        try {
            all.put(MANIFEST, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new ModelFileException("cannot encode model: " + e.getMessage(), e);
        }
        all.putAll(entries);
        return BoundedZip.write(all);
    }

    /** @param limits how much the file may expand to (a zip bomb is refused, not expanded) */
    public static Contents read(final Path file, final String expectedKind, final int supportedVersion,
                                final ZipLimits limits) {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return fromBytes(file, bytes, expectedKind, supportedVersion, limits);
    }

    /**
     * @param origin names the bytes in messages (a file, or a topic and offset)
     * @param limits how much the bytes may expand to (a zip bomb is refused, not expanded)
     */
    public static Contents fromBytes(final Path origin, final byte[] bytes, final String expectedKind,
                                     final int supportedVersion, final ZipLimits limits) {
        final Map<String, byte[]> entries = BoundedZip.read(origin, bytes, limits);
        final byte[] manifestBytes = entries.remove(MANIFEST);
        if (manifestBytes == null) {
            throw new ModelFileException(origin + ": not a kd-stream model file (no " + MANIFEST + ")");
        }
        final JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(manifestBytes);
        } catch (IOException e) {
            throw new ModelFileException(origin + ": corrupt " + MANIFEST + ": " + e.getMessage(), e);
        }
        final String kind = manifest.path("kind").asText("");
        if (!kind.equals(expectedKind)) {
            throw new ModelFileException(origin + ": is a '" + kind + "' model file, expected '" + expectedKind + "'");
        }
        final int version = manifest.path("formatVersion").asInt(-1);
        if (version != supportedVersion) {
            throw new ModelFileException(origin + ": model format version " + version
                    + " is not supported (this build reads version " + supportedVersion + ")");
        }
        return new Contents(origin, manifest, entries);
    }
}
