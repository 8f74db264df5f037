package dev.kdstream.teacher.streams;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The teacher's position store, unlogged, registered in a mock context for a processor test. */
final class MockedPositionStore {

    private MockedPositionStore() {
    }

    static KeyValueStore<String, Long> in(final MockProcessorContext<?, ?> context) {
        final KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(TeacherTopology.POSITION_STORE), Serdes.String(), Serdes.Long())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
