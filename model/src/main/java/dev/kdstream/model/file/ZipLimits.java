package dev.kdstream.model.file;

/**
 * How much a model zip may hold, checked while it is read and before anything is allocated for an
 * entry beyond them: a few kilobytes of deflated zeros expand to gigabytes.
 *
 * @param maxEntries    entries in the zip
 * @param maxEntryBytes uncompressed bytes of one entry
 * @param maxTotalBytes uncompressed bytes of all entries together
 */
public record ZipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

    private static final long MIB = 1024 * 1024;

    /**
     * A student (a model file or a checkpoint from the topic): a few thousand parameters, and its
     * optimiser state, in three DL4J entries; a thousand times that still fits.
     */
    public static final ZipLimits STUDENT = new ZipLimits(8, 32 * MIB, 64 * MIB);

    /** A teacher ensemble: one network per group, each up to a few million parameters. */
    public static final ZipLimits ENSEMBLE = new ZipLimits(64, 512 * MIB, 1024 * MIB);
}
