package dev.kdstream.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Zips read within {@link ZipLimits}, and written back: every model byte passes through here. */
final class BoundedZip {

    private static final int CHUNK = 64 * 1024;

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

    /** Reads one entry in chunks, so that a bomb is refused after the limit, not after expanding. */
    private static byte[] readEntry(final Path origin, final ZipInputStream in, final String name,
                                    final long maxEntry, final long totalLeft) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] chunk = new byte[CHUNK];
        long size = 0;
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            size += n;
            if (size > maxEntry) {
                throw ModelFileException.refused(origin + ": refused: entry '" + name + "' expands beyond "
                        + maxEntry + " bytes");
            }
            if (size > totalLeft) {
                throw ModelFileException.refused(origin + ": refused: the model expands beyond its limit of "
                        + "uncompressed bytes in all");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] write(final Map<String, byte[]> entries) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
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
