package dev.meridian.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterMetadataTest {

    static final MetadataKey<String> USER = MetadataKey.of("user", String.class);
    static final MetadataKey<Integer> TRIES = MetadataKey.of("tries", Integer.class);

    @Test
    void looksUpByKeyIdentity() {
        FilterMetadata m = new FilterMetadata();
        m.put(USER, "alice");
        m.put(TRIES, 3);
        assertThat(m.get(USER)).isEqualTo("alice");
        assertThat(m.get(TRIES)).isEqualTo(3);
        assertThat(m.get(MetadataKey.of("user", String.class))).as("another key of the same name").isNull();
    }

    @Test
    void putOverwritesAndNullRemoves() {
        FilterMetadata m = new FilterMetadata();
        m.put(USER, "alice");
        m.put(USER, "bob");
        assertThat(m.get(USER)).isEqualTo("bob");
        assertThat(m.size()).isEqualTo(1);
        m.put(USER, null);
        assertThat(m.get(USER)).isNull();
        assertThat(m.size()).isZero();
    }

    @Test
    void growsBeyondItsInitialCapacityKeepingEveryEntry() {
        FilterMetadata m = new FilterMetadata();
        int n = FilterMetadata.DEFAULT_CAPACITY * 3 + 1;
        @SuppressWarnings("unchecked")
        MetadataKey<Integer>[] keys = new MetadataKey[n];
        for (int i = 0; i < n; i++) {
            keys[i] = MetadataKey.of("k" + i, Integer.class);
            m.put(keys[i], i);
        }
        assertThat(m.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(m.get(keys[i])).isEqualTo(i);
        }
        assertThat(m.remove(keys[0])).isTrue();
        assertThat(m.get(keys[0])).isNull();
        assertThat(m.get(keys[n - 1])).as("moved into the hole").isEqualTo(n - 1);
    }

    @Test
    void keysBeyondTheIndexedOnesWorkAlongsideThem() {
        // Ids are process-wide and never reused: use them up (other tests' keys still work, scanned).
        MetadataKey<Integer> late;
        do {
            late = MetadataKey.of("late", Integer.class);
        } while (late.id != MetadataKey.UNINDEXED);
        MetadataKey<Integer> later = MetadataKey.of("later", Integer.class);
        assertThat(later.id).as("ids saturate, never wrap onto indexed ones").isEqualTo(MetadataKey.UNINDEXED);
        FilterMetadata m = new FilterMetadata();
        m.put(USER, "alice");
        m.put(late, 1);
        m.put(later, 2);
        m.put(late, 3);
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.get(USER)).isEqualTo("alice");
        assertThat(m.get(late)).isEqualTo(3);
        assertThat(m.get(later)).isEqualTo(2);
        assertThat(m.remove(late)).isTrue();
        assertThat(m.remove(late)).isFalse();
        assertThat(m.get(late)).isNull();
        assertThat(m.get(later)).isEqualTo(2);
        m.clear();
        assertThat(m.size()).isZero();
        assertThat(m.get(later)).isNull();
        assertThat(m.get(USER)).isNull();
    }

    @Test
    void removeAndClearTouchOnlyWhatWasStored() {
        FilterMetadata m = new FilterMetadata();
        m.put(USER, "alice");
        m.put(TRIES, 3);
        assertThat(m.remove(USER)).isTrue();
        assertThat(m.remove(USER)).isFalse();
        assertThat(m.size()).isEqualTo(1);
        m.put(USER, "bob");
        m.clear();
        assertThat(m.size()).isZero();
        m.put(TRIES, 4);
        assertThat(m.size()).as("a cleared id can be stored again").isEqualTo(1);
        assertThat(m.get(TRIES)).isEqualTo(4);
        assertThat(m.get(USER)).isNull();
    }

    @Test
    void clearForgetsEverythingForTheNextRequest() {
        FilterMetadata m = new FilterMetadata();
        m.put(USER, "alice");
        m.clear();
        assertThat(m.get(USER)).isNull();
        assertThat(m.size()).isZero();
    }

    @Test
    void refusesAValueOfTheWrongType() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MetadataKey<Object> raw = (MetadataKey) USER;
        assertThatThrownBy(() -> new FilterMetadata().put(raw, 42))
                .hasMessage("value for MetadataKey(user: String): java.lang.Integer (expected: java.lang.String)");
    }
}
