package dev.kdstream.client.produce;

/**
 * Hears how a producer is getting on, from its sending thread: a few times per second while it
 * sends, and once more when it is done. Keep it quick; it runs between sends.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = progress -> { };

    void onProgress(ProducerProgress progress);
}
