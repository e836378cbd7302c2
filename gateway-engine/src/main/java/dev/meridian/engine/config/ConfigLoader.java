package dev.meridian.engine.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@link GatewaySnapshot} from a TOML, YAML or JSON config file and turns every parse
 * problem into a {@link ConfigError} that names the field as the file spells it.
 *
 * <p>Mapping is strict: unknown keys are errors (a typo must not silently fall back to a default),
 * and so are coercions Jackson would otherwise make quietly ({@code "5000"} or {@code 5000.7} for
 * an integer, {@code 42} for a string).
 */
public final class ConfigLoader {

    /** Config files beyond this size are refused unread: a config is a few KiB, not a log file. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final ObjectMapper TOML = configure(TomlMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

    private ConfigLoader() {
    }

    /**
     * Reads, parses and validates {@code file}, its format chosen by extension. Filter entries are
     * left to the engine, which checks them (with every other field) before it starts on or applies
     * the snapshot: config knows no filters ({@link SnapshotValidator}).
     *
     * @throws ConfigValidationException when the file cannot be read, has an unknown extension,
     *     does not parse, or parses into an invalid snapshot
     */
    public static GatewaySnapshot load(Path file) {
        ConfigFormat format = ConfigFormat.ofFileName(file.getFileName().toString());
        return parseAndCheck(read(file), format);
    }

    /**
     * Parses {@code text} into a snapshot without validating its values; {@link #load(Path)} and
     * callers that go on to {@code GatewayEngine.apply} validate.
     *
     * @throws ConfigValidationException when the text does not parse or does not map onto the specs
     */
    public static GatewaySnapshot parse(String text, ConfigFormat format) {
        ObjectMapper mapper = switch (format) {
            case TOML -> TOML;
            case YAML -> YAML;
            case JSON -> JSON;
        };
        GatewaySnapshot snapshot;
        if (text.isBlank()) {
            snapshot = null;
        } else {
            try {
                snapshot = mapper.readValue(text, GatewaySnapshot.class);
            } catch (JsonProcessingException e) {
                throw new ConfigValidationException(List.of(ParseErrors.describe(e, format, mapper, text)));
            }
        }
        if (snapshot == null) {
            // Empty YAML documents map to null rather than failing.
            throw new ConfigValidationException(List.of(new ConfigError(ParseErrors.ROOT, "an empty document",
                    format.containerNoun() + " with listeners, clusters and routes")));
        }
        return snapshot;
    }

    /** {@link #parse} then {@link SnapshotValidator#check(GatewaySnapshot)} (filter entries left to the engine). */
    static GatewaySnapshot parseAndCheck(String text, ConfigFormat format) {
        GatewaySnapshot snapshot = parse(text, format);
        SnapshotValidator.check(snapshot);
        return snapshot;
    }

    /** The file's text, or a {@link ConfigValidationException} naming the file and why it is unreadable. */
    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw fileError(file, "a file of at most " + MAX_FILE_BYTES + " bytes (it has " + size + ")");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileError(file, "an existing file");
        } catch (IOException e) {
            throw fileError(file, "a readable UTF-8 file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConfigValidationException fileError(Path file, String expected) {
        return new ConfigValidationException(List.of(
                new ConfigError("file", SnapshotValidator.show(file.toString()), expected)));
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // A null list entry (YAML "- ~") is reported at its index rather than failing in List.copyOf.
                .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Collection, c -> c
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
