package dev.kdstream.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Zips read within {@link ZipLimits}, and written back: every model byte passes through here. */
final class BoundedZip {

    private BoundedZip() {
    }

    /**
     * The entries of {@code zip}, in order.
     *
     * @param origin names the bytes in messages (a file, or a topic and offset)
     * @throws ModelFileException when the bytes are not a zip, an entry name repeats, or a limit is passed
     */
    static Map<String, byte[]> read(final Path origin, final byte[] zip, final ZipLimits limits) {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (entries.size() == limits.maxEntries()) {
                    throw ModelFileException.refused(origin + ": refused: more than " + limits.maxEntries()
                            + " entries in a model zip");
                }
                if (entries.containsKey(e.getName())) {
                    throw ModelFileException.refused(origin + ": refused: entry '" + e.getName() + "' appears twice");
                }
                final byte[] bytes = readEntry(origin, in, e.getName(), limits.maxEntryBytes(),
                        limits.maxTotalBytes() - total);
                total += bytes.length;
                entries.put(e.getName(), bytes);
            }
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            // IllegalArgumentException: an entry name that is not valid UTF-8 (found by StudentFileFuzzTest)
            throw new ModelFileException(origin + ": not a kd-stream model file (corrupt or truncated zip: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFileException(origin + ": cannot read model: " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * Reads one entry, at most one byte past the smaller limit: a bomb is refused after the limit,
     * not after expanding ({@code readNBytes} reads in small buffers, never allocating the request).
     */
    private static byte[] readEntry(final Path origin, final ZipInputStream in, final String name,
                                    final long maxEntry, final long totalLeft) throws IOException {
        final long limit = Math.min(Math.min(maxEntry, totalLeft), Integer.MAX_VALUE - 9);
        final byte[] bytes = in.readNBytes((int) limit + 1);
        if (bytes.length > maxEntry) {
            throw ModelFileException.refused(origin + ": refused: entry '" + name + "' expands beyond "
                    + maxEntry + " bytes");
        }
        if (bytes.length > totalLeft) {
            throw ModelFileException.refused(origin + ": refused: the model expands beyond its limit of "
                    + "uncompressed bytes in all");
        }
        return bytes;
    }

    static byte[] write(final Map<String, byte[]> entries) {
        return write(entries, Deflater.DEFAULT_COMPRESSION);
    }

    /** @param level a {@link Deflater} level: {@link Deflater#NO_COMPRESSION} for bytes unzipped again at once */
    static byte[] write(final Map<String, byte[]> entries, final int level) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(level);
            for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new ModelFileException("cannot encode model: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}
