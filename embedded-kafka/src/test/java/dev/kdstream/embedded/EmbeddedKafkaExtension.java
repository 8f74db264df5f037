package dev.kdstream.embedded;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link EmbeddedKafkaBroker} for every test class of the JVM (Failsafe runs a module's
 * {@code *IT} classes in one), injected as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class FooIT {
 *     @Test
 *     void works(final EmbeddedKafkaBroker broker) { ... }
 * }
 * }</pre>
 *
 * The broker starts on first use and is closed when the test run ends (it lives in the root
 * context's store). Classes share it, so each uses topic names, application ids, group ids and
 * transactional ids of its own.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public EmbeddedKafkaBroker resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return broker(context);
    }

    /** The shared broker, started by the first caller; the store closes it (AutoCloseable) at the end of the run. */
    public static EmbeddedKafkaBroker broker(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(EmbeddedKafkaBroker.class,
                type -> EmbeddedKafkaBroker.startTemporary(), EmbeddedKafkaBroker.class);
    }
}
