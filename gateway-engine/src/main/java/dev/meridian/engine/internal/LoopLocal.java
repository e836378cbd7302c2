package dev.meridian.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Per-event-loop state for a balancer or a breaker: Envoy's per-worker balancer state, indexed by
 * the calling event loop's <em>loop slot</em>.
 *
 * <p><b>Loop slots.</b> Each thread maps to one of {@value #SLOTS} process-wide slots by its id;
 * the first thread to ask for a slot claims it (one compare-and-set) for every {@code LoopLocal}
 * at once, and keeps it until it dies. {@link #currentSlot()} finds the calling thread's slot in
 * a few loads and a compare. A caller that makes several calls for one request (the proxy's exchange:
 * breaker acquire, pick, acquire, releases) finds the slot once and hands it to each of them
 * ({@link #get(int)}, {@code LoadBalancer.pick(loop, ..)}, the breaker's held bits), so each
 * call reaches its loop's state with one array load, like a field of the event loop.
 *
 * <p>Event loops are created one after another at start-up, so their ids are nearly consecutive
 * and land in distinct home slots ({@code id mod }{@value #SLOTS}), found with a load and a
 * compare. A thread whose home slot a live thread holds takes another free slot and finds it
 * through a thread-local afterwards (a slower look-up, once per request); when live threads hold
 * all of them it gets {@link #NO_SLOT}, and callers take their shared, atomic path: slower, never
 * wrong. A slot whose owner has died is taken over by the next thread that claims it, with the
 * state the dead owner left in every {@code LoopLocal} (a balancer cursor, spare breaker units):
 * nothing is stranded by a loop replaced after a crash, and {@link Thread#isAlive()} returning
 * {@code false} orders the dead owner's plain writes before the new owner's reads.
 *
 * <p>Only a slot's owner writes its state, with plain stores; other threads (stats) read it
 * through {@link #slot(int)}. A loop slot handed to {@link #get(int)} must be the calling
 * thread's own.
 *
 * <p>The hottest per-loop state (the circuit breaker's leases) skips the slot object
 * altogether and lives in a flat primitive array of its owner, a lane of 128 bytes per
 * slot at {@code (loop + 1) * laneLength} (lane 0 for {@link #NO_SLOT}): one dependent load less
 * per call, and two cache lines per lane, so neither two loops nor the adjacent-line prefetcher
 * share one. The slots, their claiming and their passing on from a dead owner are the same.
 *
 * @param <S> the slot type
 */
public final class LoopLocal<S extends LoopLocal.Slot> {

    /**
     * Slots: a power of two well above the event loops of a large host (2 × 32 cores), so
     * sequential thread ids do not collide; the array costs 280 bytes per {@code LoopLocal}.
     */
    public static final int SLOTS = 64;

    /** What {@link #currentSlot()} returns to a thread without a slot of its own. */
    public static final int NO_SLOT = -1;

    private static final VarHandle ARRAY = MethodHandles.arrayElementVarHandle(Slot[].class);
    private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

    /** The owner of each loop slot, process-wide. */
    private static final Thread[] OWNERS = new Thread[SLOTS];
    /** The slot of a thread whose home slot ({@code id mod SLOTS}) a live thread holds. */
    private static final ThreadLocal<Integer> ELSEWHERE = new ThreadLocal<>();

    /** What one loop slot holds in one {@code LoopLocal}; subclasses add the state. */
    public abstract static class Slot {

        /** The thread that created it (a later owner of the slot may inherit it). */
        final Thread creator;

        protected Slot(Thread creator) {
            this.creator = creator;
        }
    }

    private final S[] slots;
    private final Function<Thread, S> factory;
    /** What {@link #slots} holds where no state was made yet: {@code null}, or a caller's sentinel. */
    private final S empty;
    private volatile int claimed;

    private LoopLocal(Function<Thread, S> factory, S[] slots, S empty) {
        this.factory = factory;
        this.slots = slots;
        this.empty = empty;
        Arrays.fill(slots, empty);
    }

    /** Slots made by {@code factory} on the first use of each loop slot. */
    @SuppressWarnings("unchecked")
    public static <S extends Slot> LoopLocal<S> create(Function<Thread, S> factory) {
        return new LoopLocal<>(factory, (S[]) new Slot[SLOTS + 1], null);
    }

    /**
     * As {@link #create(Function)}, over an array of the slot type ({@code Cursor[]::new}), which
     * {@link #array()} hands out for a hot path to index directly.
     */
    public static <S extends Slot> LoopLocal<S> create(Function<Thread, S> factory, IntFunction<S[]> newArray) {
        return new LoopLocal<>(factory, newArray.apply(SLOTS + 1), null);
    }

    /**
     * As {@link #create(Function, IntFunction)}, with {@link #array()} holding {@code empty}
     * rather than {@code null} where no state was made yet (index 0, for {@link #NO_SLOT}, for
     * good): a hot path that indexes the array then needs no null test, only the test its state
     * already makes, which {@code empty} is built to fail (a balancer cursor whose cached check
     * never matches). {@code empty} is never handed out: {@link #get(int)} and {@link #slot(int)}
     * treat it as absent.
     */
    public static <S extends Slot> LoopLocal<S> create(Function<Thread, S> factory, IntFunction<S[]> newArray, S empty) {
        return new LoopLocal<>(factory, newArray.apply(SLOTS + 1), Objects.requireNonNull(empty, "empty"));
    }

    /**
     * The array behind {@link #get(int)}: loop slot {@code loop} at index {@code loop + 1}, null
     * (or the {@code empty} sentinel given to {@link #create(Function, IntFunction, Slot)}) until
     * its owner's first {@code get(loop)}; index 0 is always so. For a hot path that keeps
     * it in a field of its own type and indexes it directly (no class check, one load less), and
     * calls {@code get(loop)} when it finds null. Read it only; only {@code get} writes it.
     */
    public S[] array() {
        return slots;
    }

    /**
     * The calling thread's loop slot, in {@code [0, 64)}, claimed on its first call;
     * {@link #NO_SLOT} when live threads hold all 64. Find it once per request and pass it on.
     */
    public static int currentSlot() {
        Thread t = Thread.currentThread();
        int i = (int) t.getId() & (SLOTS - 1);
        return OWNERS[i] == t ? i : claimSlot(t, i);
    }

    private static int claimSlot(Thread t, int home) {
        Integer elsewhere = ELSEWHERE.get();
        if (elsewhere != null && (Thread) THREADS.getVolatile(OWNERS, elsewhere) == t) {
            return elsewhere;
        }
        // The home slot first; when a live thread holds it, the next free one (or one whose owner
        // died), remembered in a thread-local: only such threads pay that look-up.
        for (int k = 0; k < SLOTS; k++) {
            int i = (home + k) & (SLOTS - 1);
            for (;;) {
                Thread owner = (Thread) THREADS.getVolatile(OWNERS, i);
                if (owner == t || owner == null || !owner.isAlive()) {
                    if (owner == t || THREADS.compareAndSet(OWNERS, i, owner, t)) {
                        if (k != 0) {
                            ELSEWHERE.set(i);
                        }
                        return i;
                    }
                    continue; // another thread claimed it meanwhile: look again
                }
                break;
            }
        }
        return NO_SLOT;
    }

    /** Whether {@code loop} is the calling thread's loop slot; for assertions. */
    public static boolean isCurrent(int loop) {
        return loop >= 0 && loop < SLOTS && OWNERS[loop] == Thread.currentThread();
    }

    /** The calling thread's state, made on its first call; {@code null} when it has no loop slot. */
    public S get() {
        return get(currentSlot());
    }

    /**
     * The state of {@code loop}, which must be the calling thread's {@link #currentSlot()} (or
     * {@link #NO_SLOT}, which gives {@code null}); made on the slot's first use.
     */
    public S get(int loop) {
        // Index 0 stays empty: NO_SLOT (-1) finds null (or the sentinel) there with no test of its own.
        S s = slots[loop + 1];
        return s != empty ? s : create(loop);
    }

    private S create(int loop) {
        if (loop < 0) {
            return null;
        }
        assert isCurrent(loop) : "loop slot " + loop + " is not the calling thread's";
        S mine = factory.apply(Thread.currentThread());
        // Only the slot's owner writes it; the release store publishes the state to readers.
        ARRAY.setRelease(slots, loop + 1, mine);
        claimed++; // racy count is fine: it only spreads start offsets and skips empty scans
        return mine;
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
        S s = (S) ARRAY.getAcquire(slots, i + 1);
        return s != empty ? s : null;
    }
}
