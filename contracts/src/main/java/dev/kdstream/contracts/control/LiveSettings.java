package dev.kdstream.contracts.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.json.Json;

/**
 * The settings changed without a restart, as one record of the {@code control} topic: the whole set
 * in force (not one key), so that a service applies a change of several keys at once and never an
 * invalid half of it, and so that the compacted topic's one key keeps the newest state. The record's
 * offset is its version, which services stamp on what they produce with it.
 *
 * <p>Value: {@code {"settings": {"teacher.budget": "0.1", ...}, "by": "who"}}, keys from {@link #KEYS}.
 * A trainer's settings ({@link #PER_TRAINER}) may also be set for one trainer only, as
 * {@code KEY@TRAINER_ID}: that trainer takes it over the key for all ({@link #forTrainer}).
 *
 * @param settings file-style keys to values, sorted; a key not in it is the service's own setting
 * @param by       who wrote it (user@host), for the history
 */
public record LiveSettings(Map<String, String> settings, String by) {

    /** The header a service stamps its output with: the control version (offset) it ran with, in decimal. */
    public static final String VERSION_HEADER = "kd-control-version";
    /** The one Kafka key of the control topic's records. */
    public static final String RECORD_KEY = "settings";
    /** What may be set live; anything else is refused. */
    public static final List<ConfigKey> KEYS = List.of(ConfigKey.TEACHER_BUDGET, ConfigKey.TEACHER_SAMPLER,
            ConfigKey.TEACHER_EXPLORE, ConfigKey.TEACHER_BUDGET_FLOOR, ConfigKey.TEACHER_AGREEMENT_TARGET,
            ConfigKey.TEACHER_DRIFT_BOOST, ConfigKey.TEACHER_REFRESH, ConfigKey.DISTILLATION_TEMPERATURE, ConfigKey.DISTILLATION_ALPHA, ConfigKey.STUDENT_LEARNING_RATE,
            ConfigKey.STUDENT_WEIGHT_DECAY, ConfigKey.DISTILLATION_TRUST, ConfigKey.SERVER_STUDENT,
            ConfigKey.SERVER_SHADOWS);
    /** The keys a trainer reads, which may also be set for one trainer as {@code KEY@TRAINER_ID}. */
    public static final List<ConfigKey> PER_TRAINER = List.of(ConfigKey.DISTILLATION_TEMPERATURE,
            ConfigKey.DISTILLATION_ALPHA, ConfigKey.STUDENT_LEARNING_RATE, ConfigKey.STUDENT_WEIGHT_DECAY,
            ConfigKey.DISTILLATION_TRUST);
    /** Between a key and the one trainer it is set for. */
    public static final char SCOPE = '@';
    /** No real control record comes near it: a larger one is refused before it is parsed. */
    public static final int MAX_BYTES = 64 * 1024;

    public static final LiveSettings NONE = new LiveSettings(Map.of(), "");

    public LiveSettings {
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        settings.keySet().forEach(LiveSettings::requireLive);
    }

    private static void requireLive(final String key) {
        final int at = key.indexOf(SCOPE);
        if (at >= 0) {
            final String base = key.substring(0, at);
            if (PER_TRAINER.stream().noneMatch(k -> k.key().equals(base)) || at == key.length() - 1) {
                throw new IllegalArgumentException("'" + key + "' cannot be set live: only "
                        + String.join(", ", PER_TRAINER.stream().map(ConfigKey::key).toList())
                        + " can be set for one trainer, as KEY" + SCOPE + "TRAINER_ID");
            }
        } else if (KEYS.stream().noneMatch(k -> k.key().equals(key))) {
            throw new IllegalArgumentException("'" + key + "' cannot be set live; these can: " + names());
        }
    }

    /** The keys that may be set live, for a message. */
    public static String names() {
        return String.join(", ", KEYS.stream().map(ConfigKey::key).toList()) + " (a trainer's also as KEY"
                + SCOPE + "TRAINER_ID)";
    }

    /** The settings for every service: those set for one trainer left out. */
    public Map<String, String> global() {
        final Map<String, String> g = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.indexOf(SCOPE) < 0) {
                g.put(k, v);
            }
        });
        return g;
    }

    /** The trainer ids some key is set for alone. */
    public Set<String> trainers() {
        final Set<String> ids = new TreeSet<>();
        for (final String k : settings.keySet()) {
            final int at = k.indexOf(SCOPE);
            if (at >= 0) {
                ids.add(k.substring(at + 1));
            }
        }
        return ids;
    }

    /** The settings as trainer {@code trainerId} takes them: a key set for it wins over the key for all. */
    public Map<String, String> forTrainer(final String trainerId) {
        return forTrainer(trainerId, Set.of());
    }

    /**
     * The settings as trainer {@code trainerId} takes them, when it was started with {@code own} keys
     * set: those keep the trainer's value against a key for all (a second student started at its own
     * T is not moved by the teacher's), and only a key set for it ({@code KEY@TRAINER_ID}) changes them.
     */
    public Map<String, String> forTrainer(final String trainerId, final Set<String> own) {
        final Map<String, String> t = global();
        t.keySet().removeAll(own);
        final String suffix = SCOPE + trainerId;
        settings.forEach((k, v) -> {
            if (k.endsWith(suffix) && k.indexOf(SCOPE) == k.length() - suffix.length()) {
                t.put(k.substring(0, k.length() - suffix.length()), v);
            }
        });
        return t;
    }

    /**
     * These settings with {@code changes} applied: a null value removes the key.
     *
     * @throws IllegalArgumentException for a key that cannot be set live, removed or not
     */
    public LiveSettings with(final Map<String, String> changes, final String who) {
        final Map<String, String> next = new LinkedHashMap<>(settings);
        for (final Map.Entry<String, String> e : changes.entrySet()) {
            requireLive(e.getKey());
            if (e.getValue() == null) {
                next.remove(e.getKey());
            } else {
                next.put(e.getKey(), e.getValue());
            }
        }
        return new LiveSettings(next, who);
    }

    public byte[] toBytes() {
        final ObjectNode root = Json.MAPPER.createObjectNode();
        final ObjectNode s = root.putObject("settings");
        settings.forEach(s::put);
        root.put("by", by);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException with the reason for bytes that are not a control record
     *                                  (too large, not JSON, not an object of strings, an unknown key)
     */
    public static LiveSettings fromBytes(final byte[] value) {
        if (value == null) {
            return NONE;
        }
        if (value.length > MAX_BYTES) {
            throw new IllegalArgumentException(value.length + " bytes, over the limit of " + MAX_BYTES);
        }
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("settings").isObject()) {
            throw new IllegalArgumentException("not an object with a 'settings' object");
        }
        final Map<String, String> settings = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = root.get("settings").fields(); it.hasNext();) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a string");
            }
            settings.put(e.getKey(), e.getValue().asText());
        }
        return new LiveSettings(settings, root.path("by").asText(""));
    }

    @Override
    public String toString() {
        return settings.isEmpty() ? "(none: each service's own configuration)" : settings.toString();
    }
}
