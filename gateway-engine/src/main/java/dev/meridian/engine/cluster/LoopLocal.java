package dev.meridian.engine.cluster;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;

/**
 * Per-event-loop state for a balancer or a breaker, found from the calling thread without a loop
 * index: Envoy's per-worker balancer state, kept behind the same {@code pick(hash, avoid)} call.
 *
 * <p>Each thread maps to one of {@value #SLOTS} slots by its id; the first thread to use a slot
 * claims it for good (one compare-and-set), and from then on only that thread — its owner — writes
 * it, with plain stores. A slot is looked up in three loads and a compare, no atomic
 * read-modify-write, so a counter in it costs what a field on the event loop would.
 *
 * <p>Event loops are created one after another at start-up, so their ids are nearly consecutive
 * and land in distinct slots. A thread whose slot another thread already owns (ids congruent
 * modulo {@value #SLOTS}, or a loop replaced by a new thread) gets {@code null} and the caller
 * takes its shared, atomic path: slower, never wrong.
 *
 * @param <S> the slot type
 */
public final class LoopLocal<S extends LoopLocal.Slot> {

    /**
     * Slots per owner object: a power of two well above the event loops of a large host (2 × 32
     * cores), so sequential thread ids do not collide; 64 references cost 272 bytes.
     */
    static final int SLOTS = 64;

    private static final VarHandle ARRAY = MethodHandles.arrayElementVarHandle(Slot[].class);

    /** What one thread owns; subclasses add the state. */
    public abstract static class Slot {

        /** Final, so a thread that reads the slot another thread published sees its owner. */
        final Thread owner;

        protected Slot(Thread owner) {
            this.owner = owner;
        }
    }

    private final Slot[] slots = new Slot[SLOTS];
    private final Function<Thread, S> factory;
    private volatile int claimed;

    private LoopLocal(Function<Thread, S> factory) {
        this.factory = factory;
    }

    /** Slots made by {@code factory} on a thread's first call of {@link #get()}. */
    public static <S extends Slot> LoopLocal<S> create(Function<Thread, S> factory) {
        return new LoopLocal<>(factory);
    }

    /** The calling thread's slot, claimed on its first call; {@code null} when another thread owns it. */
    @SuppressWarnings("unchecked")
    public S get() {
        Thread t = Thread.currentThread();
        int i = (int) t.getId() & (SLOTS - 1);
        Slot s = slots[i];
        if (s != null) {
            return s.owner == t ? (S) s : null;
        }
        return claim(t, i);
    }

    @SuppressWarnings("unchecked")
    private S claim(Thread t, int i) {
        S mine = factory.apply(t);
        if (ARRAY.compareAndSet(slots, i, null, mine)) {
            claimed++; // racy count is fine: it only spreads start offsets
            return mine;
        }
        Slot s = (Slot) ARRAY.getVolatile(slots, i);
        return s.owner == t ? (S) s : null;
    }

    /** How many slots have been claimed so far (approximate); e.g. to stagger their start. */
    public int claimed() {
        return claimed;
    }

    /** Slots that may be claimed, for readers that sum what the owners wrote ({@link #slot}). */
    public int capacity() {
        return SLOTS;
    }

    /** Slot {@code i} if a thread has claimed it, else {@code null}; read with acquire semantics. */
    @SuppressWarnings("unchecked")
    public S slot(int i) {
        return (S) ARRAY.getAcquire(slots, i);
    }
}
